"use client";

import { isDatasetSam2Run } from "~/core/dataset-run-types";
import { JobRunProgress } from "~/components/jobs/JobRunProgress";
import { useLiveJobRuns } from "~/components/jobs/use-live-job-runs";
import { useProjectCan } from "~/components/projects/use-project-can";

/**
 * The dataset's latest SAM 2 run ("Prepare SAM", "Generate masks"), live, with cancel for those
 * who manage jobs; nothing until the dataset has one. Read from the dataset's own runs (job.watch
 * with the dataset), which hold its analysis and SAM 2 runs over the whole dataset.
 */
export function Sam2DatasetProgress({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const { runs } = useLiveJobRuns({ projectId, datasetId });
  const canManage = useProjectCan(projectId).manageJobs;
  const latest = runs?.find(isDatasetSam2Run);
  if (!latest) return null;
  return (
    <div className="panel" data-testid="sam2-dataset-progress">
      <JobRunProgress projectId={projectId} run={latest} canManage={canManage} />
    </div>
  );
}
