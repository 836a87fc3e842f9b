"use client";

import { isDatasetAnalysisRun } from "~/core/dataset-run-types";
import { JobRunProgress } from "./JobRunProgress";
import { useProjectCan } from "~/components/projects/use-project-can";
import { useLiveJobRuns } from "./use-live-job-runs";

/**
 * The latest analysis run of one dataset, live; renders nothing until the dataset has one (its
 * SAM 2 runs, in the same list, show in Sam2DatasetProgress).
 */
export function DatasetProgress({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const { runs } = useLiveJobRuns({ projectId, datasetId });
  const canManage = useProjectCan(projectId).manageJobs;
  const latest = runs?.find(isDatasetAnalysisRun);
  if (!latest) return null;
  return (
    <div className="panel" data-testid="dataset-progress">
      <JobRunProgress projectId={projectId} run={latest} canManage={canManage} />
    </div>
  );
}
