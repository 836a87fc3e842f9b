/**
 * The web side of a COCO import: read the upload within COCO_IMPORT_LIMITS.maxDocumentBytes
 * (413 from Content-Length before reading, or as soon as more arrives), check cheaply that it is
 * a JSON object that names `images` (400), store it in the blob store and start an import-coco
 * run (202 with its id). Parsing and validating the document is the job's work
 * (import-coco.handler.ts): the web process never parses or decodes an uploaded document.
 */
import "server-only";
import { DEFAULT_COCO_IMPORT_MODE, type CocoImportMode } from "~/core/coco-import-modes";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { assertExportScope } from "~/server/exports/export-scope";
import { importCocoJob } from "~/server/jobs/definitions";
import type { JobQueue } from "~/server/jobs/queue";
import { startJobRun, type StartedJobRun } from "~/server/jobs/start-job-run";
import type { BlobStore } from "~/server/storage";
import { COCO_IMPORT_LIMITS } from "./coco-import-limits";

const TOO_LARGE = `COCO files up to ${COCO_IMPORT_LIMITS.maxDocumentBytes / 1024 / 1024} MiB can be imported`;

/** The request body, refused (AppError TOO_LARGE) past `maxBytes` without buffering more. */
export async function readCocoUpload(
  request: Request,
  maxBytes: number = COCO_IMPORT_LIMITS.maxDocumentBytes,
): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) throw new AppError("TOO_LARGE", TOO_LARGE);
  if (!request.body) throw new AppError("BAD_INPUT", "The file is empty");
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("TOO_LARGE", TOO_LARGE);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received);
}

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * A cheap look at the upload (no parse): a JSON object that mentions "images". The job parses
 * and validates all of it and fails the run with the reason when it is not a COCO file.
 */
export function assertLooksLikeCocoJson(bytes: Uint8Array): void {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 BOM
  while (start < bytes.length && isSpace(bytes[start]!)) start++;
  let end = bytes.length - 1;
  while (end >= start && isSpace(bytes[end]!)) end--;
  if (start > end) throw new AppError("BAD_INPUT", "The file is empty");
  if (bytes[start] !== 0x7b || bytes[end] !== 0x7d)
    throw new AppError("BAD_INPUT", "Not a COCO annotation file: the file is not a JSON object");
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('"images"') < 0)
    throw new AppError("BAD_INPUT", 'Not a COCO annotation file: it has no "images"');
}

/**
 * Stores an uploaded COCO document and starts its import as a job. The same file into the same
 * scope while its import is queued or running returns that run (a double click).
 */
export async function startCocoImport(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  actorId: string;
  datasetId?: string;
  /** @default "merge" (core/coco-import-modes) */
  mode?: CocoImportMode;
  bytes: Uint8Array;
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, projectId, datasetId, bytes } = options;
  const mode = options.mode ?? DEFAULT_COCO_IMPORT_MODE;
  await assertExportScope({ db, scope: { projectId, datasetId } });
  if (bytes.byteLength > COCO_IMPORT_LIMITS.maxDocumentBytes) throw new AppError("TOO_LARGE", TOO_LARGE);
  assertLooksLikeCocoJson(bytes);
  const { key } = await options.store.put(bytes);
  return startJobRun({
    db,
    job: importCocoJob,
    projectId,
    actorId: options.actorId,
    payload: { blobKey: key, bytes: bytes.byteLength, mode, ...(datasetId ? { datasetId } : {}) },
    isSameRun: (active) => active.blobKey === key && active.datasetId === datasetId && active.mode === mode,
    auditData: { datasetId: datasetId ?? null, bytes: bytes.byteLength, mode },
    queue: options.queue,
  });
}
