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
import type { ReportedSettings } from "~/server/settings/settings-results";
import type { ExportPayload } from "./definitions";
import { attemptSingleJobRun, finishSingleJobRun, reportSingleJobProgress } from "./single-job-run";
import type { SingleJobHandlerOptions, SingleJobOutcome } from "./single-job-run";

export type ExportResult = SingleJobOutcome<{
  blobKey?: string;
  bytes?: number;
}>;

class ExportCancelled extends Error {}

/**
 * Maps per exported image, in the order the zip writes them (images by id; the analysis each
 * reports under the pinned settings version), as cumulative counts: image i is written once i+1 thresholds' maps have been read.
 */
async function mapThresholds(db: Db, scope: ExportScope, settings: ReportedSettings): Promise<number[]> {
  const thresholds: number[] = [];
  let total = 0;
  const pages = exportImagePages({
    db,
    scope,
    pageSize: 200,
    select: {
      settingsResults: {
        where: { settingsId: settings.id ?? "-" },
        select: { analysis: { select: { mapKeys: true } } },
      },
    },
  });
  for await (const images of pages) {
    for (const image of images) {
      const analysis = image.settingsResults[0]?.analysis;
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

export type ExportOptions = SingleJobHandlerOptions<ExportPayload> & {
  /** Least time between two progress writes. @default 500 */
  progressIntervalMs?: number;
};

export async function handleExport(options: ExportOptions): Promise<ExportResult> {
  return attemptSingleJobRun(
    {
      ...options,
      startPayload: { phase: "writing" },
      isPermanent: (error) => error instanceof AppError || error instanceof RangeError,
    },
    async (run): Promise<ExportResult> => {
      try {
        return await writeExport(options, run.id);
      } catch (error) {
        if (!(error instanceof ExportCancelled)) throw error;
        await options.db.$transaction((tx) => options.completeQueueJob(tx));
        return { result: "cancelled" };
      }
    },
  );
}

/** Writes the zip with progress per image, stores it and finishes the (RUNNING) run. */
async function writeExport(options: ExportOptions, jobRunId: string): Promise<ExportResult> {
  const { db, store, payload } = options;
  const scope: ExportScope = { projectId: payload.projectId, datasetId: payload.datasetId };
  const { name } = await assertExportScope({ db, scope });
  const thresholds = await mapThresholds(db, scope, payload.settings);
  const total = thresholds.length;
  await reportSingleJobProgress({ db, jobRunId, done: 0, total });
  const interval = options.progressIntervalMs ?? 500;
  let lastReport = Date.now();
  let imagesDone = 0;
  const blobs = countingStore(store, async (reads) => {
    while (imagesDone < total && thresholds[imagesDone]! < reads) imagesDone += 1; // earlier images are complete
    if (Date.now() - lastReport < interval) return;
    lastReport = Date.now();
    if (!(await reportSingleJobProgress({ db, jobRunId, done: imagesDone, total }))) throw new ExportCancelled();
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of streamOverlaysZip({ db, blobs, scope, settings: payload.settings })) chunks.push(chunk);
  const zip = Buffer.concat(chunks);
  const { key } = await store.put(zip);
  const fileName = `${safeSegment(name)}-${payload.kind}`;
  const { result } = await finishSingleJobRun({
    db,
    jobRunId,
    completeQueueJob: options.completeQueueJob,
    write: async () => undefined,
    payload: () => ({ phase: "done", blobKey: key, fileName, bytes: zip.byteLength, images: total }),
  });
  return { result, blobKey: key, bytes: zip.byteLength };
}
