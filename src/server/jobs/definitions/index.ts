import { analyseDatasetJob } from "./analyse-dataset";
import { analyseImageJob } from "./analyse-image";
import { analyseImageGaveUpJob } from "./analyse-image-gave-up";

export { analyseDatasetJob, type AnalyseDatasetPayload } from "./analyse-dataset";
export { analyseImageJob, type AnalyseImagePayload } from "./analyse-image";
export { analyseImageGaveUpJob } from "./analyse-image-gave-up";
export type { JobDefinition } from "./job-definition";

/**
 * Every queue, dead-letter queues first (a queue naming a dead-letter queue needs it to exist).
 * retrain-model and export join here when their services exist (issues of their own).
 */
export const JOB_DEFINITIONS = [analyseImageGaveUpJob, analyseImageJob, analyseDatasetJob] as const;
