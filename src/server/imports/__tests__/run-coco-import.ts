/**
 * Runs a COCO import the way the route and a worker do, in the test process without pg-boss: the
 * upload is stored and its import-coco run started (startCocoImport, with a queue that keeps the
 * sent payload), then the job's handler runs that payload. Returns the finished run.
 */
import type { CocoImportMode } from "~/core/coco-import-modes";
import { db } from "~/server/db";
import { importCocoJob, importCocoRunPayloadSchema } from "~/server/jobs/definitions";
import { handleImportCoco } from "~/server/jobs/import-coco.handler";
import type { JobQueue } from "~/server/jobs/queue";
import { blobStore } from "~/server/storage";
import { startCocoImport } from "../start-coco-import";

export async function runCocoImport(options: {
  projectId: string;
  actorId: string;
  datasetId?: string;
  mode?: CocoImportMode;
  document: unknown;
  batchSize?: number;
}) {
  const sent: unknown[] = [];
  const queue: JobQueue = {
    send: async (definition, payload) => {
      sent.push(definition.payloadSchema.parse(payload));
      return "job";
    },
    sendMany: async () => undefined,
    complete: async () => true,
  };
  const { jobRunId } = await startCocoImport({
    db,
    store: blobStore(),
    projectId: options.projectId,
    datasetId: options.datasetId,
    mode: options.mode,
    actorId: options.actorId,
    bytes: Buffer.from(JSON.stringify(options.document)),
    queue,
  });
  const handled = await handleImportCoco({
    db,
    store: blobStore(),
    payload: importCocoJob.payloadSchema.parse(sent[0]),
    completeQueueJob: async () => true,
    batchSize: options.batchSize,
  });
  const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
  return { handled, run, payload: importCocoRunPayloadSchema.parse(run.payload) };
}
