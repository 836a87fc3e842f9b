"use client";

import { errorMessage } from "~/components/error-message";
import { JobRunProgress } from "./JobRunProgress";
import { useProjectCan } from "~/components/projects/use-project-can";
import { isActive, useLiveJobRuns } from "./use-live-job-runs";

/** The project's background jobs, newest first, live: progress, failures, cancel, retry. */
export function JobsPanel({ projectId }: { projectId: string }) {
  const { runs, error } = useLiveJobRuns({ projectId });
  const canManage = useProjectCan(projectId).manageJobs;
  const running = runs?.filter(isActive).length ?? 0;

  return (
    <section className="panel" data-testid="jobs-panel">
      <h2>Jobs {running > 0 && <span className="badge">{running} running</span>}</h2>
      {error && <p className="error">Live updates interrupted: {errorMessage(error)}</p>}
      {!runs && !error && <p className="muted">Loading…</p>}
      {runs?.length === 0 && <p className="muted">No jobs yet. Analysing a dataset starts one.</p>}
      {runs?.map((run) => (
        <JobRunProgress key={run.id} projectId={projectId} run={run} canManage={canManage} />
      ))}
    </section>
  );
}
