"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

export type JobRunItem = RouterOutputs["job"]["list"][number];

/**
 * The project's job runs (or one dataset's), kept live by the `job.watch` subscription
 * (server-sent events fed by Postgres LISTEN/NOTIFY): the server sends the whole list when the
 * subscription starts and again after every change, so there is no client-side merging.
 */
export function useLiveJobRuns(options: { projectId: string; datasetId?: string }) {
  const trpc = useTRPC();
  const subscription = useSubscription(
    trpc.job.watch.subscriptionOptions({ projectId: options.projectId, datasetId: options.datasetId }),
  );
  return {
    runs: subscription.data,
    error: subscription.error,
    /** "connecting" | "pending" (live) | "error" | "idle" */
    status: subscription.status,
  };
}

export function isActive(run: Pick<JobRunItem, "status">): boolean {
  return run.status === "QUEUED" || run.status === "RUNNING";
}
