/**
 * recordChange is THE way a change to a project is recorded: (a) every service file that writes
 * to the database calls it, or is allow-listed below with the reason; (b) the audit row and the
 * live event commit or roll back with the change; (c) every audit action has a sentence in the
 * activity log, and job starts are told apart by job type.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { describeActivity } from "~/server/activity/describe-activity";
import { db } from "~/server/db";
import { databaseUrl } from "~/server/env";
import { EventBus, projectChannel, type AppEvent } from "~/server/events";
import { seedProject } from "../../../../tests/helpers/seed";
import { AUDIT_ACTIONS, isAuditAction } from "../audit-actions";
import { recordChange } from "../record-change";

const SERVER_ROOT = path.resolve(__dirname, "../..");

/**
 * What counts as a database write: a Prisma model method that changes rows, called on a client
 * named `db` or `tx` (`options.db.region.create(`, `tx.jobRun.updateMany(`). Reads (`findMany`,
 * `count`) and Map/Set/hash calls (`cache.delete(`, `hash.update(`) do not match.
 */
const DATABASE_WRITE =
  /\b(?:db|tx)\s*\.\s*[a-z]\w*\s*\.\s*(?:create|createMany|update|updateMany|upsert|delete|deleteMany)\s*\(/;
/** recordChange, directly or through changeProject (which calls it in the same transaction). */
const CALLS_RECORD_CHANGE = /\b(recordChange|changeProject)\s*\(/;

/**
 * Service files that write without recordChange, each with why. Paths are relative to
 * src/server. Keep it short: a new entry needs a reason a reviewer would accept.
 */
const WRITES_WITHOUT_RECORD_CHANGE: Record<string, string> = {
  "analysis/upsert-analysis.ts":
    "stores a computed analysis (a cache of a pure computation of image + params); the request " +
    "is audited as analysis.run by analysis/request-image-analysis.ts",
  "demo/seed-demo.ts": "development seed data, not a change made by a member",
  "settings/settings-results.ts":
    "records which stored result an image reports under a settings version, inside the item " +
    "transaction of a dataset run whose start is audited as job.start",
  "jobs/fan-out-dataset-run.ts":
    "job bookkeeping: the progress of a run whose start was recorded (job.start); it publishes " +
    "job-run.updated in its own transaction",
  "jobs/record-item-outcome.ts": "job bookkeeping: one item's result and the run's progress (see above)",
  "jobs/single-job-run.ts": "job bookkeeping: a one-job run's progress and end (see above)",
  "jobs/import-coco.handler.ts":
    "job bookkeeping: the run's progress, committed with each batch of imported regions; the " +
    "import is recorded once (annotations.import, recordCocoImport) when the run succeeds",
  "models/built-in-models.ts":
    "registers the shipped models at start-up: global rows (no project), not a member's change",
  "projects/delete-project.ts":
    "the project's audit rows are deleted with it (cascade): no project is left to record it in",
  "users/authenticate.ts": "sign-in creates the account: users belong to no project",
  "users/sign-up.ts": "creates the account: users belong to no project",
  "users/sign-in-throttle.ts": "counts failed sign-ins per account and address: no project, no member's change",
  "auth/sessions.ts": "opens and ends sign-in sessions: no project, no member's change",
};

/** src/server/<domain>/*.ts, without tests, as paths relative to src/server. */
function serviceFiles(): string[] {
  const files: string[] = [];
  for (const domain of readdirSync(SERVER_ROOT)) {
    const directory = path.join(SERVER_ROOT, domain);
    if (!statSync(directory).isDirectory()) continue;
    for (const entry of readdirSync(directory)) {
      if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) files.push(`${domain}/${entry}`);
    }
  }
  return files.sort();
}

const source = (file: string) => readFileSync(path.join(SERVER_ROOT, file), "utf8");

describe("every service that changes the database records the change", () => {
  const files = serviceFiles();
  const writers = files.filter((file) => DATABASE_WRITE.test(source(file)));

  it("finds the services (the scan itself works)", () => {
    expect(writers).toContain("datasets/create-dataset.ts");
    expect(writers).toContain("jobs/start-job-run.ts");
    expect(writers.length).toBeGreaterThan(20);
  });

  it("calls recordChange in every writing service that is not allow-listed", () => {
    const missing = writers.filter(
      (file) => !CALLS_RECORD_CHANGE.test(source(file)) && !(file in WRITES_WITHOUT_RECORD_CHANGE),
    );
    expect(missing, "call recordChange, or allow-list the file with a reason").toEqual([]);
  });

  it("keeps the allow-list honest: each entry exists, writes, and does not record changes", () => {
    for (const file of Object.keys(WRITES_WITHOUT_RECORD_CHANGE)) {
      if (file === "jobs/start-image-analysis.ts" && !files.includes(file)) continue; // deleted: fine
      expect(files, file).toContain(file);
      expect(writers, `${file} no longer writes: remove it from the list`).toContain(file);
      expect(CALLS_RECORD_CHANGE.test(source(file)), `${file} records changes now`).toBe(false);
    }
  });

  it("writes audit rows only through recordChange", () => {
    const direct = files.filter(
      (file) => !file.startsWith("audit/") && /\.auditEvent\s*\.\s*create/.test(source(file)),
    );
    expect(direct).toEqual([]);
  });
});

describe("recordChange in a transaction", () => {
  const buses: EventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  /** Listens on the project's channel through a bus of its own, as another process would. */
  async function listen(projectId: string) {
    const bus = new EventBus(databaseUrl, () => undefined);
    buses.push(bus);
    const events: AppEvent[] = [];
    await bus.subscribe(projectChannel(projectId), { onEvent: (event) => events.push(event) }).ready;
    return {
      events,
      async until(predicate: () => boolean) {
        const deadline = Date.now() + 5_000;
        while (!predicate()) {
          if (Date.now() > deadline) throw new Error("timed out waiting for the event");
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      },
    };
  }

  const uploaded = (projectId: string, datasetId: string, actorId: string): AppEvent => ({
    type: "images.uploaded",
    projectId,
    datasetId,
    count: 0,
    actorId,
  });

  it("leaves no audit row and publishes no event when the transaction rolls back", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const actorId = users.owner!.id;
    const listener = await listen(project.id);
    /** Creates a dataset and records it (audit row and event) in the same transaction. */
    const createDatasetRecorded = async (tx: Parameters<typeof recordChange>[0], name: string) => {
      const dataset = await tx.dataset.create({ data: { projectId: project.id, name, createdById: actorId } });
      await recordChange(tx, {
        projectId: project.id,
        actorId,
        action: "dataset.create",
        target: { type: "Dataset", id: dataset.id },
        data: { name: dataset.name },
        event: uploaded(project.id, dataset.id, actorId),
      });
      return dataset;
    };

    await expect(
      db.$transaction(async (tx) => {
        await createDatasetRecorded(tx, "rolled back");
        throw new Error("the change fails after recording it");
      }),
    ).rejects.toThrow("the change fails after recording it");

    // The committed change below is the control: once its event arrives, the rolled-back one
    // would have arrived before it (one connection, commit order).
    const kept = await db.$transaction((tx) => createDatasetRecorded(tx, "kept"));
    await listener.until(() => listener.events.length > 0);

    expect(listener.events).toEqual([uploaded(project.id, kept.id, actorId)]);
    expect(await db.dataset.findMany({ where: { projectId: project.id }, select: { name: true } })).toEqual([
      { name: "kept" },
    ]);
    const audit = await db.auditEvent.findMany({
      where: { projectId: project.id, action: "dataset.create" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId,
      targetType: "Dataset",
      targetId: kept.id,
      data: { name: "kept" },
    });
  });

  it("refuses an event of another project, and the change rolls back with it", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const actorId = users.owner!.id;
    await expect(
      db.$transaction(async (tx) => {
        await recordChange(tx, {
          projectId: project.id,
          actorId,
          action: "dataset.delete",
          target: { type: "Dataset", id: "d1" },
          event: uploaded("another-project", "d1", actorId),
        });
      }),
    ).rejects.toThrow(RangeError);
    expect(await db.auditEvent.count({ where: { projectId: project.id, action: "dataset.delete" } })).toBe(0);
  });
});

describe("the activity log describes every audit action", () => {
  it("has a sentence for each action, not the raw action name", () => {
    for (const action of AUDIT_ACTIONS) {
      const sentence = describeActivity(action, {});
      expect(sentence, action).not.toBe(action);
      expect(sentence.length, action).toBeGreaterThan(0);
    }
  });

  it("tells job starts apart by job type", () => {
    expect(describeActivity("job.start", { type: "analyse-dataset" })).toBe("started a dataset analysis");
    expect(describeActivity("job.start", { type: "export" })).toBe("started an export");
    expect(describeActivity("job.start", { type: "retrain-model" })).toBe("started retraining");
    expect(describeActivity("job.start", { type: "analyse-image" })).toBe("started an image analysis");
    expect(describeActivity("job.start", { type: "import-coco" })).toBe("started a COCO import");
    expect(describeActivity("job.start", { type: "something-newer" })).toBe("started a job");
    expect(describeActivity("job.start", {})).toBe("started a job");
  });

  it("names model versions and keeps unknown actions as they are", () => {
    expect(describeActivity("model-version.create", { name: "resnet + 40 labels" })).toBe(
      'trained the model version "resnet + 40 labels"',
    );
    expect(describeActivity("model-version.delete", { name: "old" })).toBe('deleted the model version "old"');
    expect(describeActivity("dataset.create", { name: "Batch 7" })).toBe('created the dataset "Batch 7"');
    expect(isAuditAction("something.newer")).toBe(false);
    expect(describeActivity("something.newer", {})).toBe("something.newer");
  });
});
