"use client";

import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { useTRPC, type RouterInputs } from "~/trpc/react";
import { useProjectCan } from "~/components/projects/use-project-can";

type AnalysisParamsInput = NonNullable<RouterInputs["job"]["startDatasetAnalysis"]["params"]>;

/**
 * Starts "classify + analyse every image" of a dataset as a background job. Renders nothing for
 * roles that may not start jobs. Progress shows in DatasetProgress / JobsPanel (live).
 */
export function AnalyseDatasetButton({
  projectId,
  datasetId,
  params,
  disabled,
}: {
  projectId: string;
  datasetId: string;
  /** Analysis parameters (K values, …); the defaults when absent. */
  params?: AnalysisParamsInput;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const canManage = useProjectCan(projectId).manageJobs;
  const start = useMutation(trpc.job.startDatasetAnalysis.mutationOptions());
  if (!canManage) return null;
  return (
    <span className="row">
      <button
        type="button"
        data-testid="analyse-dataset"
        disabled={disabled || start.isPending}
        onClick={() => start.mutate({ projectId, datasetId, params })}
      >
        {start.isPending ? "Starting…" : "Analyse dataset"}
      </button>
      {start.data?.alreadyRunning && <span className="muted">Already running: see its progress.</span>}
      {start.error && <span className="error">{errorMessage(start.error)}</span>}
    </span>
  );
}
