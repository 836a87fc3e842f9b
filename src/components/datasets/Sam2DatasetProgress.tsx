"use client";

import { JobRunProgress } from "~/components/jobs/JobRunProgress";
import { useLiveJobRuns } from "~/components/jobs/use-live-job-runs";
import { useProjectCan } from "~/components/projects/use-project-can";

/** The job types of SAM 2 runs (src/server/jobs/definitions: sam2-embed, sam2-generate). */
const SAM2_RUN_TYPES = new Set(["sam2-embed", "sam2-generate"]);

/**
 * The dataset's latest SAM 2 run ("Prepare SAM", "Generate masks"), live, with cancel for those
 * who manage jobs; nothing until the dataset has one. Read from the project's runs: a dataset's own
 * list (DatasetProgress) holds its analysis runs only.
 */
export function Sam2DatasetProgress({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const { runs } = useLiveJobRuns({ projectId });
  const canManage = useProjectCan(projectId).manageJobs;
  const latest = runs?.find((run) => SAM2_RUN_TYPES.has(run.type) && run.datasetId === datasetId);
  if (!latest) return null;
  return (
    <div className="panel" data-testid="sam2-dataset-progress">
      <JobRunProgress projectId={projectId} run={latest} canManage={canManage} />
    </div>
  );
}
