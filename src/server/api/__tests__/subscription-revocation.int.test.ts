/**
 * Open live streams follow the caller's access, not the access they had when they opened: a
 * member removed from the project stops receiving within 2 s (nothing is delivered after the
 * removal) and the stream ends with FORBIDDEN. Checked on every project subscription.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { eventBus } from "~/server/events";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { seedImageRow } from "../../sharing/__tests__/collaboration-fixtures";

afterAll(async () => {
  await eventBus().close();
});

async function setup() {
  const { project, users } = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "cycle 10" } });
  const image = await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: "a.png" });
  const labelClass = await db.labelClass.create({
    data: { projectId: project.id, name: "Dendrite", color: "#ff0000" },
  });
  return { project, users, dataset, image, labelClass };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** Each project subscription, opened as the viewer. */
const SUBSCRIPTIONS: Record<string, (s: Setup) => Promise<unknown>> = {
  "activity.live": (s) => callerFor(db, s.users.viewer!).activity.live({ projectId: s.project.id }),
  "job.watch": (s) => callerFor(db, s.users.viewer!).job.watch({ projectId: s.project.id }),
  "presence.image": (s) =>
    callerFor(db, s.users.viewer!).presence.image({ projectId: s.project.id, imageId: s.image.id }),
};

/** Reads the stream in the background, recording each value's arrival time and how it ended. */
function consume(stream: AsyncIterable<unknown>) {
  const received: number[] = [];
  const ended = (async () => {
    try {
      for await (const _value of stream) received.push(Date.now());
      return { at: Date.now(), error: null as unknown };
    } catch (error) {
      return { at: Date.now(), error };
    }
  })();
  return { received, ended };
}

describe("subscriptions after a member is removed", () => {
  it.each(Object.keys(SUBSCRIPTIONS))("%s ends with FORBIDDEN within 2 s and delivers nothing after", async (name) => {
    const s = await setup();
    const stream = (await SUBSCRIPTIONS[name]!(s)) as AsyncIterable<unknown>;
    const reader = consume(stream);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the stream is open and listening

    const owner = callerFor(db, s.users.owner!);
    await owner.member.remove({ projectId: s.project.id, userId: s.users.viewer!.id });
    const removedAt = Date.now();
    // Changes that a member would hear of.
    await owner.annotation.setImageLabels({
      projectId: s.project.id,
      imageIds: [s.image.id],
      labelClassId: s.labelClass.id,
    });
    await owner.dataset.create({ projectId: s.project.id, name: "after removal" });

    const ended = await Promise.race([
      reader.ended,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("stream still open after 5 s")), 5000)),
    ]);
    expect(ended.at - removedAt).toBeLessThan(2000);
    expect(ended.error).toMatchObject({ code: "FORBIDDEN" });
    expect(reader.received.filter((at) => at > removedAt)).toEqual([]);
  });

  it("maps a domain error raised inside a stream to its code, as queries do", async () => {
    const s = await setup();
    const other = await setup();
    const stream = (await callerFor(db, s.users.viewer!).activity.live({
      projectId: s.project.id,
      imageId: other.image.id,
    })) as AsyncIterable<unknown>;
    const { ended } = consume(stream);
    expect((await ended).error).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("presence streams per user", () => {
  it("are capped, with a clear error, and a closed stream frees its slot", async () => {
    const { MAX_PRESENCE_STREAMS_PER_USER } = await import("~/server/presence/presence-streams");
    const s = await setup();
    const viewer = callerFor(db, s.users.viewer!);
    const open = async () => {
      const stream = (await viewer.presence.image({
        projectId: s.project.id,
        imageId: s.image.id,
      })) as AsyncIterable<unknown>;
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next(); // started: the slot is taken
      return iterator;
    };
    const streams = [];
    for (let i = 0; i < MAX_PRESENCE_STREAMS_PER_USER; i++) streams.push(await open());
    await expect(open()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await streams.pop()!.return?.(undefined);
    streams.push(await open());
    for (const iterator of streams) await iterator.return?.(undefined);
  });
});
