import "server-only";
import { analyseDatasetJob } from "./analyse-dataset";
import { analyseImageJob } from "./analyse-image";
import { analyseImageGaveUpJob } from "./analyse-image-gave-up";
import { exportJob } from "./export";
import { importCocoJob } from "./import-coco";
import { retrainModelJob } from "./retrain-model";
import { sam2EmbedJob } from "./sam2-embed";
import { sam2GenerateJob } from "./sam2-generate";
import { sam2ImageJob } from "./sam2-image";
import { sam2ImageGaveUpJob } from "./sam2-image-gave-up";

export { analyseDatasetJob, type AnalyseDatasetPayload } from "./analyse-dataset";
export { analyseImageItem, analyseImageJob, type AnalyseImagePayload } from "./analyse-image";
export { analyseImageGaveUpJob } from "./analyse-image-gave-up";
export { analysisRunPayloadSchema, type AnalysisRunPayload } from "./analysis-run-payload";
export { exportJob, exportRunPayloadSchema, type ExportPayload, type ExportRunPayload } from "./export";
export {
  importCocoJob,
  importCocoRunPayloadSchema,
  type ImportCocoPayload,
  type ImportCocoRunPayload,
} from "./import-coco";
export {
  retrainModelJob,
  retrainRunPayloadSchema,
  type RetrainModelPayload,
  type RetrainRunPayload,
} from "./retrain-model";
export { sam2EmbedJob } from "./sam2-embed";
export { sam2GenerateJob } from "./sam2-generate";
export { sam2ImageJob, type Sam2ImagePayload } from "./sam2-image";
export { sam2ImageGaveUpJob } from "./sam2-image-gave-up";
export { sam2RunPayloadSchema, type Sam2RunPayload } from "./sam2-run-payload";
export { defineJob, type JobDefinition, type JobQueueDefaults } from "./job-definition";

/**
 * Every queue, dead-letter queues first (a queue naming a dead-letter queue needs it to exist).
 */
export const JOB_DEFINITIONS = [
  analyseImageGaveUpJob,
  analyseImageJob,
  analyseDatasetJob,
  retrainModelJob,
  exportJob,
  importCocoJob,
  sam2ImageGaveUpJob,
  sam2ImageJob,
  sam2EmbedJob,
  sam2GenerateJob,
] as const;

/** Every job type's id (the queue name, and JobRun.type of the runs it starts). */
export type JobType = (typeof JOB_DEFINITIONS)[number]["id"];
