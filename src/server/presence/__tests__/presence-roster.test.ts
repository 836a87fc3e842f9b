import { describe, expect, it } from "vitest";
import type { PresenceBeatEvent } from "~/server/events/app-events";
import { PresenceRoster } from "../presence-roster";

const beat = (viewerKey: string, userId: string, status: PresenceBeatEvent["status"] = "here"): PresenceBeatEvent => ({
  type: "presence.beat",
  projectId: "p",
  imageId: "i",
  viewerKey,
  userId,
  name: userId,
  status,
});

describe("PresenceRoster", () => {
  it("lists each user once, forgets those who leave and expires the silent", () => {
    const roster = new PresenceRoster(1000);
    expect(roster.apply(beat("tab-a-000", "ann", "joined"), 0)).toBe(true);
    expect(roster.apply(beat("tab-b-000", "ann"), 10)).toBe(false); // a second tab: same list
    expect(roster.apply(beat("tab-c-000", "bob"), 20)).toBe(true);
    expect(roster.viewers().map((v) => v.userId)).toEqual(["ann", "bob"]);
    expect(roster.apply(beat("tab-a-000", "ann", "left"), 30)).toBe(false); // still there in tab b
    expect(roster.expire(1005)).toBe(false);
    expect(roster.expire(1011)).toBe(true); // tab b's last beat was at 10
    expect(roster.viewers().map((v) => v.userId)).toEqual(["bob"]);
    roster.apply(beat("tab-c-000", "bob"), 1500); // heartbeats keep a viewer
    expect(roster.expire(2400)).toBe(false);
    expect(roster.expire(2500)).toBe(true);
    expect(roster.viewers()).toEqual([]);
  });
});
