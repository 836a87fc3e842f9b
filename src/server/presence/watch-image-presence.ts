/**
 * Presence on one image for a tRPC subscription, carried by the event bus so that it works
 * across web processes without a table: while the subscription is open this viewer beats every
 * HEARTBEAT_MS; on joining it announces itself and everyone already there answers at once, so
 * the list fills within a round trip. Viewers not heard from for TTL_MS expire; leaving (closing
 * the page ends the SSE stream) is announced. Yields the list of users whenever it changes.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "~/server/db";
import { publishEvent, subscribeToChannel } from "~/server/events";
import type { PresenceBeatEvent } from "~/server/events/app-events";
import { AppError } from "~/server/errors";
import { PresenceRoster } from "./presence-roster";
import { claimPresenceStream } from "./presence-streams";

export const PRESENCE_HEARTBEAT_MS = 10_000;
export const PRESENCE_TTL_MS = 25_000;

export function presenceChannel(projectId: string, imageId: string): string {
  return `presence:${projectId}:${imageId}`;
}

export type PresenceUpdate = { viewers: { userId: string; name: string; isYou: boolean }[] };

export async function* watchImagePresence(options: {
  db: Db;
  projectId: string;
  imageId: string;
  userId: string;
  signal?: AbortSignal;
  /** @default PRESENCE_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** @default PRESENCE_TTL_MS */
  ttlMs?: number;
}): AsyncGenerator<PresenceUpdate> {
  const { db, projectId, imageId, userId, signal } = options;
  const heartbeatMs = options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS;
  const ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
  const image = await db.image.count({ where: { id: imageId, projectId } });
  if (image === 0) throw new AppError("NOT_FOUND", "Image not found");
  // Claimed before listening, released in the `finally` below.
  const release = claimPresenceStream(userId);
  const user = await db.user
    .findUnique({ where: { id: userId }, select: { name: true, email: true } })
    .catch((error: unknown) => {
      release();
      throw error;
    });
  const me = {
    viewerKey: randomBytes(12).toString("hex"),
    userId,
    name: user?.name || user?.email || "Someone",
  };
  const channel = presenceChannel(projectId, imageId);
  const beat = (status: PresenceBeatEvent["status"]) =>
    publishEvent({ db, channel, event: { type: "presence.beat", projectId, imageId, ...me, status } }).catch(
      () => undefined,
    );

  const roster = new PresenceRoster(ttlMs);
  roster.apply({ type: "presence.beat", projectId, imageId, ...me, status: "here" }, Date.now());
  let changed = true;
  let wake: (() => void) | null = null;
  const subscription = subscribeToChannel(channel, {
    onEvent: (event) => {
      if (event.type !== "presence.beat" || event.imageId !== imageId || event.projectId !== projectId) return;
      if (event.viewerKey === me.viewerKey) return;
      if (event.status === "joined") void beat("here");
      if (roster.apply(event, Date.now())) {
        changed = true;
        wake?.();
      }
    },
    // Listening (re)started: announce ourselves so the others answer.
    onResync: () => void beat("joined"),
  });
  subscription.ready.catch(() => undefined);
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  let nextBeat = Date.now() + heartbeatMs;
  try {
    while (!signal?.aborted) {
      const now = Date.now();
      if (now >= nextBeat) {
        void beat("here");
        nextBeat = now + heartbeatMs;
      }
      roster.apply({ type: "presence.beat", projectId, imageId, ...me, status: "here" }, now);
      if (roster.expire(now)) changed = true;
      if (changed) {
        changed = false;
        yield { viewers: roster.viewers().map((viewer) => ({ ...viewer, isYou: viewer.userId === userId })) };
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1000, Math.max(10, nextBeat - Date.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    release();
    signal?.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
    await beat("left");
  }
}
