/**
 * Handler of export: writes the overlays zip of a project (or dataset) with the streaming export
 * code (src/server/exports/) into the blob store, with progress per image, and records the blob
 * key in the run's payload for the download route. Cancelling stops it at the next map.
 *
 * The zip is collected in memory before BlobStore.put (the store takes whole byte arrays); the
 * writer refuses archives over 4 GiB anyway, and a dataset at a time keeps it far below that.
 */
import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { listAnalysisMaps } from "~/server/analysis/analysis-maps";
import { assertExportScope, exportImagePages, type ExportScope } from "~/server/exports/export-scope";
import { safeSegment, streamOverlaysZip } from "~/server/exports/stream-overlays-zip";
import type { BlobStore } from "~/server/storage";
import type { ExportPayload } from "./definitions";
import type { Tx } from "./queue";
import {
  beginSingleJobRun,
  failSingleJobRun,
  finishSingleJobRun,
  reportSingleJobProgress,
  type SingleJobResult,
} from "./single-job-run";

export type ExportResult = {
  result: SingleJobResult | "failed" | "cancelled";
  blobKey?: string;
  bytes?: number;
  error?: string;
};

class ExportCancelled extends Error {}

/**
 * Maps per exported image, in the order the zip writes them (images by id; the newest analysis
 * of each), as cumulative counts: image i is written once i+1 thresholds' maps have been read.
 */
async function mapThresholds(db: Db, scope: ExportScope): Promise<number[]> {
  const thresholds: number[] = [];
  let total = 0;
  const pages = exportImagePages({
    db,
    scope,
    pageSize: 200,
    select: {
      analyses: { orderBy: { createdAt: "desc" }, take: 1, select: { mapKeys: true } },
    },
  });
  for await (const images of pages) {
    for (const image of images) {
      const analysis = image.analyses[0];
      if (!analysis) continue;
      total += listAnalysisMaps(analysis.mapKeys).length;
      thresholds.push(total);
    }
  }
  return thresholds;
}

/** The blob store as the zip writer sees it, counting map reads for progress (and cancel checks). */
function countingStore(store: BlobStore, onRead: (reads: number) => Promise<void>): BlobStore {
  let reads = 0;
  return {
    put: (bytes) => store.put(bytes),
    get: async (key) => {
      const bytes = await store.get(key);
      reads += 1;
      await onRead(reads);
      return bytes;
    },
    stream: (key, range) => store.stream(key, range),
    has: (key) => store.has(key),
    delete: (key) => store.delete(key),
  };
}

export async function handleExport(options: {
  db: Db;
  store: BlobStore;
  payload: ExportPayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
  finalAttempt?: boolean;
  /** Least time between two progress writes. @default 500 */
  progressIntervalMs?: number;
}): Promise<ExportResult> {
  const { db, payload } = options;
  const run = await beginSingleJobRun({
    db,
    jobRunId: payload.jobRunId,
    completeQueueJob: options.completeQueueJob,
    payload: { phase: "writing" },
  });
  if (!run) return { result: "run-not-running" };
  const scope: ExportScope = { projectId: payload.projectId, datasetId: payload.datasetId };
  try {
    const { name } = await assertExportScope({ db, scope });
    const thresholds = await mapThresholds(db, scope);
    const total = thresholds.length;
    await reportSingleJobProgress({ db, jobRunId: run.id, done: 0, total });
    const interval = options.progressIntervalMs ?? 500;
    let lastReport = Date.now();
    let imagesDone = 0;
    const blobs = countingStore(options.store, async (reads) => {
      while (imagesDone < total && thresholds[imagesDone]! < reads) imagesDone += 1; // earlier images are complete
      if (Date.now() - lastReport < interval) return;
      lastReport = Date.now();
      if (!(await reportSingleJobProgress({ db, jobRunId: run.id, done: imagesDone, total })))
        throw new ExportCancelled();
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamOverlaysZip({ db, blobs, scope })) chunks.push(chunk);
    const zip = Buffer.concat(chunks);
    const { key } = await options.store.put(zip);
    const fileName = `${safeSegment(name)}-${payload.kind}`;
    const { result } = await finishSingleJobRun({
      db,
      jobRunId: run.id,
      completeQueueJob: options.completeQueueJob,
      write: async () => undefined,
      payload: () => ({ phase: "done", blobKey: key, fileName, bytes: zip.byteLength, images: total }),
    });
    return { result, blobKey: key, bytes: zip.byteLength };
  } catch (error) {
    if (error instanceof ExportCancelled) {
      await db.$transaction((tx) => options.completeQueueJob(tx));
      return { result: "cancelled" };
    }
    const permanent = error instanceof AppError || error instanceof RangeError;
    if (!permanent && !options.finalAttempt) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await failSingleJobRun({
      db,
      jobRunId: run.id,
      error: message,
      completeQueueJob: options.completeQueueJob,
    });
    return { result: "failed", error: message };
  }
}
