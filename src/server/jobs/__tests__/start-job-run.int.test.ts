/**
 * startJobRun on the real database, with a queue that records what it is sent: the run payload is
 * checked against its job type before anything is written, the queue payload is derived from it,
 * the start is recorded (audit + event) and a second start of the same thing returns the first.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { seedProject } from "../../../../tests/helpers/seed";
import { exportJob, retrainModelJob, type JobDefinition } from "../definitions";
import type { JobQueue } from "../queue";
import { InvalidJobPayloadError, startJobRun } from "../start-job-run";

afterAll(async () => {
  await db.$disconnect();
});

/** A queue that validates like the real one and remembers what it was sent. */
function recordingQueue() {
  const sent: { queue: string; payload: unknown }[] = [];
  const queue: JobQueue = {
    async send<P>(definition: JobDefinition<P>, payload: P) {
      sent.push({ queue: definition.id, payload: definition.payloadSchema.parse(payload) });
      return `job-${sent.length}`;
    },
    async sendMany() {
      throw new Error("not used");
    },
    async complete() {
      return true;
    },
  };
  return { queue, sent };
}

describe("startJobRun", () => {
  it("refuses a payload that does not fit its job type, with a clear error, and creates nothing", async () => {
    const { project, users } = await seedProject(db, { viewer: "VIEWER" });
    const { queue, sent } = recordingQueue();

    const start = startJobRun({
      db,
      job: exportJob,
      projectId: project.id,
      actorId: users.viewer!.id,
      // A kind no export writes, as an untyped caller (a route) could pass it.
      payload: JSON.parse('{ "kind": "results.csv" }') as { kind: "overlays.zip" },
      isSameRun: () => false,
      queue,
    });
    await expect(start).rejects.toThrow(InvalidJobPayloadError);
    await expect(start).rejects.toThrow(/Invalid payload for a "export" job run:[\s\S]*kind/);

    expect(sent).toEqual([]);
    expect(await db.jobRun.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("creates the run, queues its job and records the start; the same start returns that run", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const { queue, sent } = recordingQueue();
    const options = {
      db,
      job: retrainModelJob,
      projectId: project.id,
      actorId: users.editor!.id,
      payload: { baseVersionId: "base-1" },
      isSameRun: () => true,
      progressTotal: 12,
      auditData: { baseVersionId: "base-1", images: 12 },
      queue,
    };

    const first = await startJobRun(options);
    expect(first.alreadyRunning).toBe(false);
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: first.jobRunId } });
    expect(run).toMatchObject({
      type: "retrain-model",
      status: "QUEUED",
      progressTotal: 12,
      createdById: users.editor!.id,
      // The definition's defaults are part of what is stored.
      payload: { baseVersionId: "base-1", phase: "queued" },
    });
    // The queue payload keeps only the job's own fields (no run phase) plus the envelope.
    expect(sent).toEqual([
      {
        queue: "retrain-model",
        payload: { version: 1, jobRunId: run.id, projectId: project.id, baseVersionId: "base-1" },
      },
    ]);
    const audit = await db.auditEvent.findMany({ where: { projectId: project.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "job.start",
      actorId: users.editor!.id,
      targetType: "JobRun",
      targetId: run.id,
      data: { type: "retrain-model", baseVersionId: "base-1", images: 12 },
    });

    expect(await startJobRun(options)).toEqual({ jobRunId: run.id, alreadyRunning: true });
    expect(sent).toHaveLength(1);
    expect(await db.jobRun.count({ where: { projectId: project.id } })).toBe(1);
  });
});
