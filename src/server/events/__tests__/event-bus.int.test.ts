/**
 * The event bus on a real Postgres: delivery across connections (as between processes), only
 * after commit, per logical channel, one LISTEN connection shared by all subscribers of a
 * process, recovery after the connection is killed, and payload validation.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { databaseUrl } from "~/server/env";
import { channelMessages } from "../channel-messages";
import { EventBus, eventBus } from "../event-bus";
import { publishEvent, PG_EVENT_CHANNEL } from "../publish-event";
import type { AppEvent, JobRunUpdatedEvent } from "../app-events";

const buses: EventBus[] = [];
function newBus(): EventBus {
  const bus = new EventBus(databaseUrl, () => undefined);
  buses.push(bus);
  return bus;
}
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

function event(jobRunId: string, progressDone = 0): JobRunUpdatedEvent {
  return {
    type: "job-run.updated",
    projectId: "p1",
    jobRunId,
    jobType: "analyse-dataset",
    datasetId: null,
    status: "RUNNING",
    progressDone,
    progressTotal: 10,
    failedCount: 0,
  };
}

function collector() {
  const events: AppEvent[] = [];
  let resyncs = 0;
  const waiters: (() => void)[] = [];
  return {
    events,
    resyncs: () => resyncs,
    subscriber: {
      onEvent: (e: AppEvent) => {
        events.push(e);
        waiters.splice(0).forEach((w) => w());
      },
      onResync: () => {
        resyncs++;
        waiters.splice(0).forEach((w) => w());
      },
    },
    async until(predicate: () => boolean, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error("timed out waiting for events");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("event bus", () => {
  it("delivers to the subscribers of a channel only, through one shared connection", async () => {
    const bus = newBus();
    const a1 = collector();
    const a2 = collector();
    const b = collector();
    await Promise.all([
      bus.subscribe("project:a", a1.subscriber).ready,
      bus.subscribe("project:a", a2.subscriber).ready,
      bus.subscribe("project:b", b.subscriber).ready,
    ]);
    expect(bus.connectionsOpened).toBe(1);

    await publishEvent({ db, channel: "project:a", event: event("r1", 1) });
    await a1.until(() => a1.events.length === 1);
    await a2.until(() => a2.events.length === 1);
    await settle();
    expect(a1.events).toEqual([event("r1", 1)]);
    expect(b.events).toEqual([]);
    expect(a1.resyncs()).toBe(1); // the initial "load your state now"
  });

  it("hears events published by another connection (another process), never rolled-back ones", async () => {
    const bus = newBus();
    const c = collector();
    await bus.subscribe("project:a", c.subscriber).ready;

    await expect(
      db.$transaction(async (tx) => {
        await publishEvent({ db: tx, channel: "project:a", event: event("rolled-back") });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await db.$transaction(async (tx) => {
      await publishEvent({ db: tx, channel: "project:a", event: event("committed") });
      await settle();
      // Not before the commit.
      expect(c.events).toEqual([]);
    });
    await c.until(() => c.events.length === 1);

    const other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
    await other.query("SELECT pg_notify($1, $2)", [
      PG_EVENT_CHANNEL,
      JSON.stringify({ v: 1, channel: "project:a", event: event("other") }),
    ]);
    // Garbage from someone else on the channel is ignored, not fatal.
    await other.query("SELECT pg_notify($1, $2)", [PG_EVENT_CHANNEL, "not json"]);
    await other.query("SELECT pg_notify($1, $2)", [
      PG_EVENT_CHANNEL,
      JSON.stringify({ v: 1, channel: "project:a", event: { type: "unknown" } }),
    ]);
    await other.end();
    await c.until(() => c.events.length === 2);
    await settle();
    expect(c.events.map((e) => (e as JobRunUpdatedEvent).jobRunId)).toEqual(["committed", "other"]);
  });

  it("reconnects after losing its connection and tells subscribers to resync", async () => {
    const bus = newBus();
    const c = collector();
    await bus.subscribe("project:a", c.subscriber).ready;
    expect(c.resyncs()).toBe(1);
    await db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'visual-ccc-events' AND datname = current_database()`;
    await c.until(() => c.resyncs() === 2, 10_000);
    expect(bus.connectionsOpened).toBe(2);
    await publishEvent({ db, channel: "project:a", event: event("after") });
    await c.until(() => c.events.length === 1);
  });

  it("closes the connection when the last subscriber leaves", async () => {
    const bus = newBus();
    const subscription = bus.subscribe("project:a", collector().subscriber);
    await subscription.ready;
    subscription.unsubscribe();
    await settle();
    const rows = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'visual-ccc-events' AND datname = current_database()`;
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("refuses invalid and oversized events", async () => {
    await expect(
      publishEvent({ db, channel: "project:a", event: { ...event("x"), progressDone: -1 } }),
    ).rejects.toThrow(RangeError);
    await expect(
      publishEvent({ db, channel: "project:a", event: { ...event("x"), jobType: "x".repeat(9000) } }),
    ).rejects.toThrow(/limit/);
  });

  it("offers a channel as an async generator: resync first, then events, ended by the abort signal", async () => {
    const controller = new AbortController();
    const messages = channelMessages({ channel: "project:gen", signal: controller.signal });
    expect((await messages.next()).value).toEqual({ kind: "resync" });
    await publishEvent({ db, channel: "project:gen", event: event("gen") });
    expect((await messages.next()).value).toEqual({ kind: "event", event: event("gen") });
    const pending = messages.next();
    controller.abort();
    expect((await pending).done).toBe(true);
    expect(eventBus().subscriberCount()).toBe(0);
    await eventBus().close();
  });
});
