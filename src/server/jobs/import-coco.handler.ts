/**
 * Handler of import-coco: reads the uploaded document from the blob store, validates all of it
 * and computes every region (planCocoImport) before the first write, then writes the regions in
 * batches of COCO_IMPORT_LIMITS.writeBatchSize, one transaction each, with the run's progress.
 *
 * Partial failure: an invalid document (not JSON, not COCO, over a cap, scope gone) fails the run
 * with the reason before anything is written. Invalid annotations are skipped and counted with
 * their reason (in the run's result), as before. Each batch commits together with the run's
 * `regionsWritten`, so an attempt after a worker died (or a database error) plans the same
 * regions again (same document, classes found by name) and resumes after those already written:
 * no region is written twice. Label classes and image labels are idempotent by construction. The
 * audit event and the result commit with the run's success.
 *
 * Modes (payload.mode): "replace" removes every region of the file's images in the first batch's
 * transaction (so an attempt that resumes after it does not remove what the import wrote);
 * "merge" (the default) skips, batch by batch, regions identical to one the image already has
 * (newRegionsOnly); the skipped count commits with the batch, so a resumed run reports it whole. A cancelled run stops at the next
 * batch, keeping the batches already written (its audit event is not written).
 */
import "server-only";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { projectChannel, publishEvent } from "~/server/events";
import { assertExportScope, type ExportScope } from "~/server/exports/export-scope";
import { COCO_IMPORT_LIMITS } from "~/server/imports/coco-import-limits";
import {
  cocoImportResult,
  createRegionBatch,
  ensureLabelClasses,
  parseCocoBytes,
  planCocoImport,
  newRegionsOnly,
  recordCocoImport,
  removeRegionsOfImages,
  setImportedImageLabels,
  type CocoImportResult,
} from "~/server/imports/import-coco-annotations";
import { BlobNotFoundError } from "~/server/storage";
import { importCocoRunPayloadSchema, type ImportCocoPayload } from "./definitions/import-coco";
import { jobRunUpdatedEvent } from "./job-run-records";
import { findLockedJobRun } from "./record-item-outcome";
import { attemptSingleJobRun, finishSingleJobRun, reportSingleJobProgress } from "./single-job-run";
import type { SingleJobHandlerOptions, SingleJobOutcome } from "./single-job-run";

export type ImportCocoResult = SingleJobOutcome<{
  import?: CocoImportResult;
}>;

class ImportCancelled extends Error {}

export type ImportCocoOptions = SingleJobHandlerOptions<ImportCocoPayload> & {
  /** @default COCO_IMPORT_LIMITS.writeBatchSize */
  batchSize?: number;
};

export async function handleImportCoco(options: ImportCocoOptions): Promise<ImportCocoResult> {
  const result = await attemptSingleJobRun(
    {
      ...options,
      startPayload: { phase: "validating" },
      isPermanent: (error) => error instanceof AppError || error instanceof BlobNotFoundError,
    },
    async (run): Promise<ImportCocoResult> => {
      try {
        return await runImport(options, run.id, run.createdById, run.payload);
      } catch (error) {
        if (!(error instanceof ImportCancelled)) throw error;
        await options.db.$transaction((tx) => options.completeQueueJob(tx));
        return { result: "cancelled" };
      }
    },
  );
  // The uploaded document is not needed once the run is over (unless another import holds the same bytes).
  if (result.result !== "superseded") await dropDocument(options.db, options).catch(() => undefined);
  return result;
}

async function dropDocument(db: Db, options: ImportCocoOptions): Promise<void> {
  const { blobKey, jobRunId } = options.payload;
  const others = await db.jobRun.count({
    where: {
      id: { not: jobRunId },
      type: "import-coco",
      status: { in: ["QUEUED", "RUNNING"] },
      payload: { path: ["blobKey"], equals: blobKey },
    },
  });
  const self = await db.jobRun.findUnique({ where: { id: jobRunId }, select: { status: true } });
  if (others === 0 && self && self.status !== "QUEUED" && self.status !== "RUNNING")
    await options.store.delete(blobKey);
}

async function runImport(
  options: ImportCocoOptions,
  jobRunId: string,
  actorId: string | null,
  runPayload: Prisma.JsonValue,
): Promise<ImportCocoResult> {
  const { db, store, payload } = options;
  if (!actorId) throw new AppError("BAD_INPUT", "The member who started the import is gone");
  const scope: ExportScope = { projectId: payload.projectId, datasetId: payload.datasetId };
  await assertExportScope({ db, scope });
  const bytes = await store.get(payload.blobKey);
  const plan = await planCocoImport({ db, scope, document: parseCocoBytes(bytes) });
  const total = plan.regions.length;
  const resumeFrom = Math.min(total, importCocoRunPayloadSchema.parse(runPayload).regionsWritten);
  if (!(await reportSingleJobProgress({ db, jobRunId, done: resumeFrom, total, payload: { phase: "writing" } })))
    throw new ImportCancelled();

  const { classByName, created } = await ensureLabelClasses({ db, projectId: scope.projectId, actorId, plan });
  const batchSize = options.batchSize ?? COCO_IMPORT_LIMITS.writeBatchSize;
  const known = new Map<string, Set<string>>();
  // One pass at least: replace removes regions even when the file brings none.
  for (let at = resumeFrom; at < total || (at === 0 && payload.mode === "replace"); at += batchSize) {
    const batch = plan.regions.slice(at, at + batchSize);
    const written = at + batch.length;
    const stillRunning = await db.$transaction(
      async (tx) => {
        const run = await findLockedJobRun(tx, jobRunId);
        if (!run || run.status !== "RUNNING") return false;
        const before = importCocoRunPayloadSchema.parse(run.payload);
        const removed = payload.mode === "replace" && at === 0 ? await removeRegionsOfImages(tx, plan.imageIds) : 0;
        const regions =
          payload.mode === "merge"
            ? await newRegionsOnly(tx, { regions: batch, classByName, known, since: run.createdAt })
            : batch;
        await createRegionBatch(tx, { regions, classByName, actorId });
        const current =
          typeof run.payload === "object" && run.payload && !Array.isArray(run.payload) ? run.payload : {};
        const updated = await tx.jobRun.update({
          where: { id: jobRunId },
          data: {
            progressDone: written,
            progressTotal: total,
            payload: {
              ...current,
              regionsWritten: written,
              regionsSkipped: before.regionsSkipped + batch.length - regions.length,
              regionsRemoved: before.regionsRemoved + removed,
            },
          },
        });
        await publishEvent({ db: tx, channel: projectChannel(scope.projectId), event: jobRunUpdatedEvent(updated) });
        return true;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
    if (!stillRunning) throw new ImportCancelled();
  }

  const labelsSet = await setImportedImageLabels({ db, projectId: scope.projectId, actorId, plan, classByName });
  const counts = importCocoRunPayloadSchema.parse(
    (await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId }, select: { payload: true } })).payload,
  );
  const summary = cocoImportResult(plan, {
    mode: payload.mode,
    regionsCreated: total - counts.regionsSkipped,
    regionsSkippedIdentical: counts.regionsSkipped,
    regionsRemoved: counts.regionsRemoved,
    labelsSet,
    labelClassesCreated: created,
  });
  const { result } = await finishSingleJobRun({
    db,
    jobRunId,
    completeQueueJob: options.completeQueueJob,
    write: (tx) => recordCocoImport(tx, { scope, actorId, plan, jobRunId, result: summary }),
    payload: () => ({ phase: "done", result: summary }),
  });
  return { result, import: summary };
}
