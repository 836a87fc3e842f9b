"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import { useProjectCan } from "~/components/projects/use-project-can";

/**
 * Starts "classify + analyse every image" of a dataset as a background job, under the project's
 * current analysis settings (named on the button: the run reports under that version, whatever
 * anyone explores in the workspace). Renders nothing for roles that may not start jobs. Progress
 * shows in DatasetProgress / JobsPanel (live).
 */
export function AnalyseDatasetButton({
  projectId,
  datasetId,
  disabled,
}: {
  projectId: string;
  datasetId: string;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const canManage = useProjectCan(projectId).manageJobs;
  const settings = useQuery(trpc.settings.get.queryOptions({ projectId }));
  const start = useMutation(trpc.job.startDatasetAnalysis.mutationOptions());
  if (!canManage) return null;
  const version = settings.data?.version;
  return (
    <span className="row">
      <button
        type="button"
        data-testid="analyse-dataset"
        disabled={disabled || start.isPending || !settings.data}
        onClick={() => start.mutate({ projectId, datasetId })}
      >
        {start.isPending ? "Starting…" : "Analyse dataset"}
      </button>
      {settings.data && (
        <span className="muted" data-testid="analyse-dataset-settings">
          with the project&apos;s settings {version === 0 ? "(defaults)" : `v${version}`}
          {settings.data.settings.objects ? ", objects measured" : ", no objects"}
        </span>
      )}
      {start.data?.alreadyRunning && <span className="muted">Already running: see its progress.</span>}
      {start.error && <span className="error">{errorMessage(start.error)}</span>}
    </span>
  );
}
