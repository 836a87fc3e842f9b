"use client";

import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import { isActive, type JobRunItem } from "./use-live-job-runs";

const TYPE_LABELS: Record<string, string> = {
  "analyse-dataset": "Analyse dataset",
  "analyse-image": "Analyse image",
  "retrain-model": "Retrain from labels",
  export: "Export overlays",
  "import-coco": "Import COCO annotations",
  "sam2-embed": "Prepare SAM 2",
  "sam2-generate": "Generate masks (SAM 2)",
};

/** What a run's progress counts, where it is not images. */
const PROGRESS_UNITS: Record<string, string> = { "import-coco": "regions" };

const STATUS_LABELS: Record<JobRunItem["status"], string> = {
  QUEUED: "waiting for a worker",
  RUNNING: "running",
  SUCCEEDED: "done",
  FAILED: "failed",
  CANCELLED: "cancelled",
};

function duration(run: JobRunItem): string | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ?? new Date();
  const seconds = Math.max(0, Math.round((end.getTime() - run.startedAt.getTime()) / 1000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** One run: progress bar, counts, failures with reasons, and cancel / retry for editors. */
export function JobRunProgress({
  projectId,
  run,
  canManage,
}: {
  projectId: string;
  run: JobRunItem;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.job.cancel.mutationOptions());
  const retry = useMutation(trpc.job.retryFailed.mutationOptions());
  const active = isActive(run);
  const succeeded = run.progressDone - run.failedCount;
  const error = cancel.error ?? retry.error;
  const took = duration(run);
  const unit = PROGRESS_UNITS[run.type] ?? "images";

  return (
    <div className="job-run" data-testid={`job-run-${run.id}`} data-status={run.status}>
      <div className="row">
        <strong>{TYPE_LABELS[run.type] ?? run.type}</strong>
        {run.datasetName && <span>{run.datasetName}</span>}
        <span className="muted">
          {STATUS_LABELS[run.status]}
          {run.createdBy?.name ? ` · started by ${run.createdBy.name}` : ""}
          {took ? ` · ${took}` : ""}
        </span>
      </div>
      <progress
        max={Math.max(1, run.progressTotal)}
        value={run.status === "QUEUED" ? undefined : run.progressDone}
        aria-label={`${run.progressDone} of ${run.progressTotal} ${unit}`}
        style={{ width: "100%" }}
      />
      <div className="row">
        <span>
          {run.progressDone} / {run.progressTotal} {unit}
          {run.failedCount > 0 && <span className="error"> · {run.failedCount} failed</span>}
          {!active && run.failedCount > 0 && succeeded > 0 && <span className="muted"> · {succeeded} analysed</span>}
        </span>
        {canManage && active && (
          <button
            type="button"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ projectId, jobRunId: run.id })}
          >
            Cancel
          </button>
        )}
        {canManage && !active && run.status !== "CANCELLED" && run.failedCount > 0 && (
          <button
            type="button"
            disabled={retry.isPending}
            onClick={() => retry.mutate({ projectId, jobRunId: run.id })}
          >
            Retry failed
          </button>
        )}
      </div>
      {run.error && <p className="error">{run.error}</p>}
      {error && <p className="error">{errorMessage(error)}</p>}
      {run.failures.length > 0 && (
        <details>
          <summary>Why {run.failedCount === 1 ? "one image" : `${run.failedCount} images`} failed</summary>
          <ul>
            {run.failures.map((failure) => (
              <li key={failure.imageId}>
                <strong>{failure.fileName ?? failure.imageId}</strong>: {failure.reason}
              </li>
            ))}
          </ul>
          {run.failedCount > run.failures.length && (
            <p className="muted">…and {run.failedCount - run.failures.length} more</p>
          )}
        </details>
      )}
    </div>
  );
}
