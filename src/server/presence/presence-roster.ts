/**
 * Who is looking at one image, from presence beats: pure bookkeeping with an explicit clock so
 * it can be tested without timers. A viewer is one open page (viewerKey); a user with two tabs
 * is listed once. Viewers that stop beating (closed laptop, crashed web process) expire.
 */
import type { PresenceBeatEvent } from "~/server/events/app-events";

export type PresentViewer = { userId: string; name: string };

export class PresenceRoster {
  private readonly seen = new Map<string, { viewer: PresentViewer; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  /** Applies one beat; true when the list of viewers changed. */
  apply(beat: PresenceBeatEvent, now: number): boolean {
    const before = this.signature();
    if (beat.status === "left") this.seen.delete(beat.viewerKey);
    else
      this.seen.set(beat.viewerKey, {
        viewer: { userId: beat.userId, name: beat.name },
        expiresAt: now + this.ttlMs,
      });
    return this.signature() !== before;
  }

  /** Drops viewers whose last beat is older than the TTL; true when the list changed. */
  expire(now: number): boolean {
    const before = this.signature();
    for (const [key, entry] of this.seen) if (entry.expiresAt <= now) this.seen.delete(key);
    return this.signature() !== before;
  }

  /** Distinct users, sorted by name. */
  viewers(): PresentViewer[] {
    const byUser = new Map<string, PresentViewer>();
    for (const { viewer } of this.seen.values()) byUser.set(viewer.userId, viewer);
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  }

  private signature(): string {
    return this.viewers()
      .map((v) => `${v.userId}:${v.name}`)
      .join("|");
  }
}
