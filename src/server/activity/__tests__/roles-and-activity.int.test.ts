/**
 * Roles enforced on real data (beyond the access test's role matrix: the data really stays), the
 * activity log, and live changes through the real event bus (Postgres LISTEN/NOTIFY).
 */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { eventBus } from "~/server/events";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { ONE_MEMBER_PER_ROLE, seedProjectWithDataset } from "../../../../tests/helpers/project-images";
import { seedImageRow } from "../../sharing/__tests__/collaboration-fixtures";

afterAll(async () => {
  await eventBus().close();
});

async function setup() {
  const { project, users, dataset } = await seedProjectWithDataset(db, ONE_MEMBER_PER_ROLE, "cycle 10");
  const image = await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: "a.png" });
  const labelClass = await db.labelClass.create({
    data: { projectId: project.id, name: "Dendrite", color: "#ff0000" },
  });
  const as = (label: string) => callerFor(db, users[label]!);
  return { project, users, dataset, image, labelClass, as };
}

/**
 * How long to wait for a live event before failing. Generous on purpose: CI runs the integration
 * files in parallel on 2 cores, and a missing event still fails; latency is measured by the e2e
 * suite, not here.
 */
const EVENT_WAIT_MS = 15_000;

/** The next value of a subscription that satisfies `accept`, or a timeout. */
async function next<T>(iterator: AsyncIterator<T>, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error("timed out");
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), remaining)),
    ]);
    if (result.done) throw new Error("ended");
    if (accept(result.value)) return result.value;
  }
}

describe("roles", () => {
  it("an annotator labels and draws but cannot delete a dataset, share, or invite", async () => {
    const s = await setup();
    const annotator = s.as("annotator");
    await expect(annotator.dataset.delete({ projectId: s.project.id, datasetId: s.dataset.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.dataset.count({ where: { id: s.dataset.id } })).toBe(1);
    expect(await db.image.count({ where: { datasetId: s.dataset.id } })).toBe(1);
    await expect(
      annotator.share.create({
        projectId: s.project.id,
        target: { kind: "dataset", datasetId: s.dataset.id },
        include: { overlays: [], annotations: true, prediction: true, metrics: true },
        expiresInDays: 1,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      annotator.invitation.create({ projectId: s.project.id, role: "OWNER", expiresInDays: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    await annotator.annotation.setImageLabels({
      projectId: s.project.id,
      imageIds: [s.image.id],
      labelClassId: s.labelClass.id,
    });
    expect((await db.imageLabel.findUniqueOrThrow({ where: { imageId: s.image.id } })).labelClassId).toBe(
      s.labelClass.id,
    );

    const viewer = s.as("viewer");
    await expect(
      viewer.annotation.setImageLabels({
        projectId: s.project.id,
        imageIds: [s.image.id],
        labelClassId: null,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Only the owner deletes.
    await expect(s.as("editor").project.delete({ projectId: s.project.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("activity log", () => {
  it("tells members who did what, newest first, in pages", async () => {
    const s = await setup();
    await s.as("annotator").annotation.setImageLabels({
      projectId: s.project.id,
      imageIds: [s.image.id],
      labelClassId: s.labelClass.id,
    });
    await s.as("owner").invitation.create({ projectId: s.project.id, role: "VIEWER", expiresInDays: 3 });
    const first = await s.as("viewer").activity.list({ projectId: s.project.id, limit: 1 });
    expect(first.entries[0]).toMatchObject({
      action: "invitation.create",
      actor: { name: "owner" },
      summary: "created an invitation link for VIEWER",
    });
    expect(first.nextCursor).not.toBeNull();
    const second = await s.as("viewer").activity.list({ projectId: s.project.id, limit: 1, cursor: first.nextCursor! });
    expect(second.entries[0]).toMatchObject({
      action: "imageLabel.set",
      actor: { name: "annotator" },
      summary: "labelled 1 image",
    });
    // Another project's log is not reachable.
    const other = await seedProject(db, { someone: "OWNER" });
    await expect(callerFor(db, other.users.someone!).activity.list({ projectId: s.project.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("live changes", () => {
  it("reach a viewer of the image within a second of another member's label", async () => {
    const s = await setup();
    const stream = (await s
      .as("viewer")
      .activity.live({ projectId: s.project.id, imageId: s.image.id })) as AsyncIterable<{
      kind: string;
    }>;
    const iterator = stream[Symbol.asyncIterator]();
    await next(iterator, (m) => m.kind === "resync", EVENT_WAIT_MS);
    const started = Date.now();
    await s.as("annotator").annotation.setImageLabels({
      projectId: s.project.id,
      imageIds: [s.image.id],
      labelClassId: s.labelClass.id,
    });
    const change = await next(iterator, (m) => m.kind === "labels", EVENT_WAIT_MS);
    expect(change).toMatchObject({
      kind: "labels",
      imageIds: [s.image.id],
      labelClassId: s.labelClass.id,
      actorName: "annotator",
    });
    expect(Date.now() - started).toBeLessThan(1000);
    await s.as("annotator").annotation.createRegion({
      projectId: s.project.id,
      imageId: s.image.id,
      labelClassId: null,
      geometry: { schemaVersion: 1, kind: "rectangle", x: 1, y: 1, width: 5, height: 5 },
    });
    expect(await next(iterator, (m) => m.kind === "regions", EVENT_WAIT_MS)).toMatchObject({
      kind: "regions",
      imageId: s.image.id,
      change: "created",
    });
    await iterator.return?.();
  });

  it("refuse to listen through an image of another project", async () => {
    const s = await setup();
    const other = await setup();
    await expect(
      (async () => {
        const stream = (await s
          .as("viewer")
          .activity.live({ projectId: s.project.id, imageId: other.image.id })) as AsyncIterable<unknown>;
        await stream[Symbol.asyncIterator]().next();
      })(),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("show who else is viewing an image, and forget them when they leave", async () => {
    const s = await setup();
    const watch = async (label: string) => {
      const stream = (await s
        .as(label)
        .presence.image({ projectId: s.project.id, imageId: s.image.id })) as AsyncIterable<{
        viewers: { userId: string; isYou: boolean }[];
      }>;
      return stream[Symbol.asyncIterator]();
    };
    const viewer = await watch("viewer");
    await next(viewer, (u) => u.viewers.length === 1, EVENT_WAIT_MS);
    const annotator = await watch("annotator");
    // Both see both within a round trip (the newcomer announces itself, the other answers).
    // (A generator starts when first read, as the SSE handler does at once.)
    const annotatorSees = next(annotator, (u) => u.viewers.length === 2, EVENT_WAIT_MS);
    await next(viewer, (u) => u.viewers.some((v) => v.userId === s.users.annotator!.id), EVENT_WAIT_MS);
    const seen = await annotatorSees;
    expect(seen.viewers.find((v) => v.isYou)?.userId).toBe(s.users.annotator!.id);
    await annotator.return?.(); // the page closed: the stream ends and announces it
    await next(viewer, (u) => u.viewers.length === 1, EVENT_WAIT_MS);
    await viewer.return?.();
  });
});
