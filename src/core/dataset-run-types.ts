/**
 * The JobRun types of a dataset's own runs (jobs over the whole dataset), which its page shows
 * live: its analysis runs (DatasetProgress) and its SAM 2 runs, "prepare SAM" and "generate
 * masks" (Sam2DatasetProgress). Pure (client and server); equal to the jobs' ids in
 * src/server/jobs/definitions, which a test checks. Persisted names: never rename.
 */
export const DATASET_ANALYSIS_RUN_TYPES = ["analyse-dataset"] as const;
export const DATASET_SAM2_RUN_TYPES = ["sam2-embed", "sam2-generate"] as const;

export const isDatasetAnalysisRun = (run: { type: string }): boolean =>
  (DATASET_ANALYSIS_RUN_TYPES as readonly string[]).includes(run.type);

export const isDatasetSam2Run = (run: { type: string }): boolean =>
  (DATASET_SAM2_RUN_TYPES as readonly string[]).includes(run.type);
