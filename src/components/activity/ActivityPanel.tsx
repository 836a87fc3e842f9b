"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

/** Who did what, when: the project's audit log, newest first, paged. */
export function ActivityPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const activity = useInfiniteQuery(
    trpc.activity.list.infiniteQueryOptions(
      { projectId, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: 30_000 },
    ),
  );
  const entries = activity.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <section className="panel" data-testid="activity-panel">
      <h2>Activity</h2>
      {activity.error && <p className="error">{errorMessage(activity.error)}</p>}
      {entries.length === 0 && !activity.isPending && <p className="muted">Nothing yet.</p>}
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {entries.map((entry) => (
          <li key={entry.id} data-testid="activity-entry" style={{ padding: "3px 0" }}>
            <strong>{entry.actor?.name ?? "System"}</strong> {entry.summary}{" "}
            <span className="muted" title={entry.at.toISOString()}>
              · {entry.at.toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
      {activity.hasNextPage && (
        <button type="button" disabled={activity.isFetchingNextPage} onClick={() => void activity.fetchNextPage()}>
          Older
        </button>
      )}
    </section>
  );
}
