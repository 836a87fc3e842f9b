import "server-only";
import { analyseDatasetJob } from "./analyse-dataset";
import { analyseImageJob } from "./analyse-image";
import { analyseImageGaveUpJob } from "./analyse-image-gave-up";
import { exportJob } from "./export";
import { retrainModelJob } from "./retrain-model";

export { analyseDatasetJob, type AnalyseDatasetPayload } from "./analyse-dataset";
export { analyseImageJob, type AnalyseImagePayload } from "./analyse-image";
export { analyseImageGaveUpJob } from "./analyse-image-gave-up";
export { exportJob, type ExportPayload } from "./export";
export { retrainModelJob, type RetrainModelPayload } from "./retrain-model";
export type { JobDefinition } from "./job-definition";

/**
 * Every queue, dead-letter queues first (a queue naming a dead-letter queue needs it to exist).
 */
export const JOB_DEFINITIONS = [
  analyseImageGaveUpJob,
  analyseImageJob,
  analyseDatasetJob,
  retrainModelJob,
  exportJob,
] as const;
