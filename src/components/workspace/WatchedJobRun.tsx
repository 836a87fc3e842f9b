"use client";

import { useEffect, useEffectEvent } from "react";
import { JobRunProgress } from "~/components/jobs/JobRunProgress";
import { useLiveJobRuns } from "~/components/jobs/use-live-job-runs";

/**
 * One job run started from the workspace (an image's SAM 2 embedding or masks), live, with the
 * job progress component; `onEnded` is called once the run has ended, whatever the outcome.
 */
export function WatchedJobRun(props: {
  projectId: string;
  jobRunId: string;
  onEnded: () => void;
  pendingText: string;
}) {
  // The project's runs: a dataset's list (job.watch with datasetId) holds only its whole-dataset runs.
  const { runs } = useLiveJobRuns({ projectId: props.projectId });
  const run = runs?.find((candidate) => candidate.id === props.jobRunId);
  const ended = run !== undefined && run.status !== "QUEUED" && run.status !== "RUNNING";
  const notifyEnded = useEffectEvent(() => props.onEnded());
  useEffect(() => {
    if (ended) notifyEnded();
  }, [ended]);
  if (!run) return <p className="muted">{props.pendingText}</p>;
  return <JobRunProgress projectId={props.projectId} run={run} canManage={false} />;
}
