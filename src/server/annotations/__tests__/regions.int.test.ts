import { trpcErrorCode } from "../../../../tests/helpers/trpc-error-code";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { updateRegion } from "../update-region";

const square = (offset: number) => ({
  schemaVersion: 1 as const,
  kind: "polygon" as const,
  points: [
    [offset, offset],
    [offset + 10, offset],
    [offset + 10, offset + 10],
  ] as [number, number][],
});

async function seedImage() {
  const { project, users } = await seedProject(db, { alice: "ANNOTATOR", bob: "ANNOTATOR", vera: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
  const image = await db.image.create({
    data: {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "a.png",
      blobKey: `sha256/${"a".repeat(64)}`,
      sha256: "a".repeat(64),
      byteSize: 1,
      thumbnailKey: `sha256/${"b".repeat(64)}`,
      format: "png",
      width: 100,
      height: 100,
      bitDepth: 8,
      channels: 1,
    },
  });
  const labelClass = await db.labelClass.create({
    data: { projectId: project.id, name: "Dendrite", color: "#ff0000" },
  });
  return { project, users, image, labelClass };
}

describe("regions with optimistic concurrency", () => {
  it("two people edit the same region: the second, stale save is refused with who changed it, nothing is overwritten", async () => {
    const { project, users, image, labelClass } = await seedImage();
    const alice = callerFor(db, users.alice!);
    const bob = callerFor(db, users.bob!);
    const created = await alice.annotation.createRegion({
      projectId: project.id,
      imageId: image.id,
      labelClassId: labelClass.id,
      geometry: square(0),
    });
    expect(created.version).toBe(1);
    /** `who` saves the region moved to square(offset), as an edit of `expectedVersion`. */
    const save = (who: typeof alice, expectedVersion: number, offset: number) =>
      who.annotation.updateRegion({
        projectId: project.id,
        regionId: created.id,
        expectedVersion,
        geometry: square(offset),
      });

    // Both opened version 1. Alice saves first.
    const saved = await save(alice, 1, 5);
    expect(saved.version).toBe(2);

    // Bob's save of his edit of version 1 is refused, with a message naming Alice.
    const stale = save(bob, 1, 50);
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(save(bob, 1, 50)).rejects.toThrow(/changed by .*alice.*version 1.*version 2.*not saved/);

    const after = await bob.annotation.forImage({ projectId: project.id, imageId: image.id });
    expect(after.regions).toHaveLength(1);
    expect(after.regions[0]).toMatchObject({ version: 2, geometry: square(5) });

    // A stale delete is refused too; a save based on the current version goes through.
    expect(
      await trpcErrorCode(
        bob.annotation.deleteRegion({ projectId: project.id, regionId: created.id, expectedVersion: 1 }),
      ),
    ).toBe("CONFLICT");
    const bobSaved = await save(bob, 2, 50);
    expect(bobSaved.version).toBe(3);
  });

  it("concurrent saves of the same version: exactly one wins", async () => {
    const { project, users, image } = await seedImage();
    const region = await callerFor(db, users.alice!).annotation.createRegion({
      projectId: project.id,
      imageId: image.id,
      labelClassId: null,
      geometry: square(0),
    });
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((offset) =>
        updateRegion({
          db,
          projectId: project.id,
          actorId: users.alice!.id,
          regionId: region.id,
          expectedVersion: 1,
          geometry: square(offset),
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(3);
  });

  it("editing a region deleted by someone else is a conflict, not a silent re-create", async () => {
    const { project, users, image } = await seedImage();
    const alice = callerFor(db, users.alice!);
    const region = await alice.annotation.createRegion({
      projectId: project.id,
      imageId: image.id,
      labelClassId: null,
      geometry: square(0),
    });
    await alice.annotation.deleteRegion({ projectId: project.id, regionId: region.id, expectedVersion: 1 });
    await expect(
      callerFor(db, users.bob!).annotation.updateRegion({
        projectId: project.id,
        regionId: region.id,
        expectedVersion: 1,
        geometry: square(2),
      }),
    ).rejects.toThrow(/deleted by someone else/);
  });

  it("refuses bad geometry, foreign label classes and other projects' images", async () => {
    const { project, users, image } = await seedImage();
    const other = await seedImage();
    const alice = callerFor(db, users.alice!);
    const base = { projectId: project.id, imageId: image.id, labelClassId: null };
    expect(
      await trpcErrorCode(alice.annotation.createRegion({ ...base, geometry: { ...square(0), points: [[0, 0]] } })),
    ).toBe("BAD_REQUEST");
    expect(
      await trpcErrorCode(
        alice.annotation.createRegion({
          ...base,
          geometry: { schemaVersion: 1, kind: "mask", gridWidth: 2, gridHeight: 2, runs: [1, 1] },
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await trpcErrorCode(
        alice.annotation.createRegion({ ...base, labelClassId: other.labelClass.id, geometry: square(0) }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await trpcErrorCode(alice.annotation.createRegion({ ...base, imageId: other.image.id, geometry: square(0) })),
    ).toBe("NOT_FOUND");
  });

  it("labels many images at once and clears them; viewers cannot", async () => {
    const { project, users, image, labelClass } = await seedImage();
    const second = await db.image.create({
      data: {
        ...(await db.image.findUniqueOrThrow({ where: { id: image.id } })),
        id: undefined,
        sha256: "c".repeat(64),
        metadata: {},
        analysedArea: undefined,
      },
    });
    const alice = callerFor(db, users.alice!);
    await alice.annotation.setImageLabels({
      projectId: project.id,
      imageIds: [image.id, second.id],
      labelClassId: labelClass.id,
    });
    expect(await db.imageLabel.count({ where: { labelClassId: labelClass.id } })).toBe(2);
    await alice.annotation.setImageLabels({
      projectId: project.id,
      imageIds: [second.id],
      labelClassId: null,
    });
    expect(await db.imageLabel.count({ where: { labelClassId: labelClass.id } })).toBe(1);
    expect(
      await trpcErrorCode(
        callerFor(db, users.vera!).annotation.setImageLabels({
          projectId: project.id,
          imageIds: [image.id],
          labelClassId: null,
        }),
      ),
    ).toBe("FORBIDDEN");
  });
});
