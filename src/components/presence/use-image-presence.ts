"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

export type PresenceUpdate = RouterOutputs["presence"]["image"] extends AsyncIterable<infer T> ? T : never;

/** Who is looking at this image right now; keeping the subscription open is our own heartbeat. */
export function useImagePresence(options: { projectId: string; imageId: string }) {
  const trpc = useTRPC();
  const subscription = useSubscription(trpc.presence.image.subscriptionOptions(options));
  return {
    viewers: subscription.data?.viewers ?? [],
    status: subscription.status,
  };
}
