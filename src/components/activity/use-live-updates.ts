"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

export type LiveChange = RouterOutputs["activity"]["live"] extends AsyncIterable<infer T> ? T : never;

/** How many recent changes a page keeps for its "live" feed. */
const RECENT_LIMIT = 8;

/**
 * Keeps a dataset or image page live: the `activity.live` subscription (SSE, fed by Postgres
 * LISTEN/NOTIFY so every web process hears every change) says what changed, and this refetches
 * the affected queries through their normal, permission-checked procedures. Mount once per page.
 */
export function useLiveUpdates(options: { projectId: string; datasetId?: string; imageId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [recent, setRecent] = useState<{ at: number; change: LiveChange }[]>([]);
  // The first resync only says "listening now": the page has just loaded its data itself. (State,
  // not a ref: the subscription always calls the latest onData, and reconnects come much later.)
  const [connectedOnce, setConnectedOnce] = useState(false);
  const invalidate = (...keys: readonly unknown[][]) => {
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };

  const subscription = useSubscription(
    trpc.activity.live.subscriptionOptions(
      { projectId: options.projectId, datasetId: options.datasetId, imageId: options.imageId },
      {
        onData: (change) => {
          switch (change.kind) {
            case "resync":
              if (!connectedOnce) {
                setConnectedOnce(true);
                return;
              }
              // Reconnected: events may have been missed meanwhile, so refresh what the page shows.
              invalidate(
                trpc.annotation.pathKey(),
                trpc.dataset.pathKey(),
                trpc.analysis.pathKey(),
                trpc.activity.list.pathKey(),
              );
              return;
            case "labels":
            case "regions":
              invalidate(trpc.annotation.pathKey(), trpc.dataset.images.pathKey(), trpc.activity.list.pathKey());
              break;
            case "images":
              invalidate(trpc.dataset.pathKey(), trpc.activity.list.pathKey());
              break;
            case "job":
              if (change.status !== "SUCCEEDED" && change.status !== "FAILED") return;
              invalidate(trpc.analysis.pathKey(), trpc.activity.list.pathKey());
              break;
          }
          setRecent((list) => [{ at: Date.now(), change }, ...list].slice(0, RECENT_LIMIT));
        },
      },
    ),
  );
  return { recent, status: subscription.status };
}
