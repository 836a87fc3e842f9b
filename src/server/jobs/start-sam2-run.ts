/**
 * Starts a SAM 2 run as a background job (startJobRun): "embed" prepares the embeddings of a
 * dataset's images (or of one image), "generate" makes their automatic masks (ObjectSets of method
 * "sam2"; embeddings first where missing). The model is an installed one (its name; absent: the
 * only or first ready one), pinned by the identity of its files. Starting while the same run is
 * queued or running returns that run.
 */
import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { readySam2ModelOrBadInput } from "~/server/inference/sam2/get-sam2-embedding-status";
import { sam2ParamsOrBadInput } from "~/server/objects/find-sam2-object-set";
import type { Sam2AmgParams } from "~/core/sam2/amg-params";
import { sam2EmbedJob, sam2GenerateJob } from "./definitions";
import type { Sam2ItemTask } from "./definitions/sam2-run-payload";
import type { JobQueue } from "./queue";
import { startJobRun, type StartedJobRun } from "./start-job-run";

export async function startSam2Run(options: {
  db: Db;
  projectId: string;
  actorId: string;
  task: Sam2ItemTask;
  /** The dataset to run; or `imageId` for one image. */
  datasetId?: string;
  imageId?: string;
  /** An installed model's name. @default the only (or first) ready one */
  model?: string;
  /** Generator parameters ("generate"; any subset, the rest the defaults). */
  params?: Partial<Sam2AmgParams>;
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, projectId, task } = options;
  let datasetId = options.datasetId;
  if (options.imageId !== undefined) {
    const image = await db.image.findFirst({ where: { id: options.imageId, projectId }, select: { datasetId: true } });
    if (!image || (datasetId !== undefined && image.datasetId !== datasetId))
      throw new AppError("NOT_FOUND", "Image not found");
    datasetId = image.datasetId;
  } else {
    if (datasetId === undefined) throw new AppError("BAD_INPUT", "Name a dataset or an image");
    const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
    if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  }
  const model = await readySam2ModelOrBadInput(options.model);
  const params = sam2ParamsOrBadInput(options.params);
  const job = task === "embed" ? sam2EmbedJob : sam2GenerateJob;
  const runModel = { name: model.name, pairSha256: model.pairSha256 };
  const imageId = options.imageId;
  return startJobRun({
    db,
    job,
    projectId,
    actorId: options.actorId,
    payload: {
      datasetId: datasetId,
      ...(imageId !== undefined && { imageId }),
      model: runModel,
      params: task === "generate" ? params : null,
    },
    isSameRun: (active) =>
      active.datasetId === datasetId &&
      active.imageId === imageId &&
      active.model.pairSha256 === runModel.pairSha256 &&
      JSON.stringify(active.params) === JSON.stringify(task === "generate" ? params : null),
    lockKey: `${job.id}:${datasetId}`,
    auditData: { datasetId: datasetId, imageId: imageId ?? null, model: model.name },
    queue: options.queue,
  });
}
