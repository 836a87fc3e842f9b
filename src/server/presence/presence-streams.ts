/**
 * How many presence streams one user may hold open in this web process (tabs, devices). Each
 * stream publishes a heartbeat and holds a listener, so an unbounded number would let one account
 * load the event bus; a person needs a handful. Counted per process: with N web replicas a user
 * holds at most N times this many.
 */
import { AppError } from "~/server/errors";

export const MAX_PRESENCE_STREAMS_PER_USER = 12;

const open = new Map<string, number>();

/** Takes one of the user's stream slots; call the returned function when the stream ends. */
export function claimPresenceStream(userId: string): () => void {
  const count = open.get(userId) ?? 0;
  if (count >= MAX_PRESENCE_STREAMS_PER_USER) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `You have ${count} images open with live presence; close some tabs and try again.`,
    );
  }
  open.set(userId, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(userId) ?? 1) - 1;
    if (left <= 0) open.delete(userId);
    else open.set(userId, left);
  };
}
