/**
 * Tidying a project through its procedures: rename a dataset and an image, move images between
 * datasets (refusing files the target already holds), delete a selection, and count what a
 * deletion removes before it happens. Every change leaves one audit row; ids of another project
 * change nothing (the confused-deputy suite covers every procedure; here, the mixed lists).
 */
import { describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { seedAnalysis, seedImageRow } from "../../sharing/__tests__/collaboration-fixtures";

const SQUARE = {
  schemaVersion: 1 as const,
  kind: "polygon" as const,
  points: [
    [1, 1],
    [5, 1],
    [5, 5],
  ] as [number, number][],
};

async function seed() {
  const { project, users } = await seedProject(db, { owner: "OWNER", editor: "EDITOR", annotator: "ANNOTATOR" });
  const first = await db.dataset.create({ data: { projectId: project.id, name: "cycle 1" } });
  const second = await db.dataset.create({ data: { projectId: project.id, name: "cycle 2" } });
  const a = await seedImageRow(db, { projectId: project.id, datasetId: first.id, fileName: "a.tif" });
  const b = await seedImageRow(db, { projectId: project.id, datasetId: first.id, fileName: "b.png" });
  const dendrite = await db.labelClass.create({ data: { projectId: project.id, name: "Dendrite", color: "#ff0000" } });
  await db.region.create({ data: { imageId: a.id, labelClassId: dendrite.id, geometry: SQUARE } });
  await db.region.create({ data: { imageId: a.id, labelClassId: null, geometry: SQUARE } });
  await db.region.create({ data: { imageId: b.id, labelClassId: dendrite.id, geometry: SQUARE } });
  await db.imageLabel.create({ data: { imageId: a.id, labelClassId: dendrite.id } });
  await seedAnalysis(db, { imageId: a.id });
  const editor = callerFor(db, users.editor!);
  return { project, users, first, second, a, b, dendrite, editor, projectId: project.id };
}

const auditActions = async (projectId: string) =>
  (await db.auditEvent.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } })).map((e) => ({
    action: e.action,
    data: e.data,
  }));

describe("rename", () => {
  it("renames a dataset, refusing a name another dataset has", async () => {
    const s = await seed();
    await expect(
      s.editor.dataset.rename({ projectId: s.projectId, datasetId: s.first.id, name: "  run 7 " }),
    ).resolves.toEqual({ id: s.first.id, name: "run 7" });
    await expect(
      s.editor.dataset.rename({ projectId: s.projectId, datasetId: s.second.id, name: "run 7" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: 'A dataset named "run 7" already exists here' });
    await expect(
      s.editor.dataset.rename({ projectId: s.projectId, datasetId: s.second.id, name: "  " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await auditActions(s.projectId)).toEqual([{ action: "dataset.rename", data: { name: "run 7" } }]);
  });

  it("renames an image, keeping its extension sane", async () => {
    const s = await seed();
    const rename = (fileName: string) =>
      s.editor.dataset.renameImage({ projectId: s.projectId, imageId: s.a.id, fileName });
    await expect(rename("sample 3")).resolves.toEqual({ id: s.a.id, fileName: "sample 3.tif" });
    await expect(rename("sample 3.TIFF")).resolves.toEqual({ id: s.a.id, fileName: "sample 3.TIFF" });
    await expect(rename("x/y.tif")).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A file name cannot contain / or \\",
    });
    await expect(rename("")).rejects.toMatchObject({ message: "Give the image a file name" });
    await expect(rename("x.png")).rejects.toMatchObject({
      message: expect.stringMatching(/^Keep the extension \.tiff/),
    });
    await expect(rename(`${"x".repeat(260)}.tif`)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const audits = await auditActions(s.projectId);
    expect(audits.map((a) => a.action)).toEqual(["image.rename", "image.rename"]);
    expect(audits[0]!.data).toEqual({ fileName: "sample 3.tif", from: "a.tif" });
  });

  it("is refused to an annotator", async () => {
    const s = await seed();
    const annotator = callerFor(db, s.users.annotator!);
    await expect(
      annotator.dataset.rename({ projectId: s.projectId, datasetId: s.first.id, name: "x" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("move images", () => {
  it("moves images with their regions, labels and analyses", async () => {
    const s = await seed();
    const moved = await s.editor.dataset.moveImages({
      projectId: s.projectId,
      imageIds: [s.a.id, s.b.id],
      datasetId: s.second.id,
    });
    expect(moved.imageIds.sort()).toEqual([s.a.id, s.b.id].sort());
    expect(await db.image.count({ where: { datasetId: s.second.id } })).toBe(2);
    expect(await db.region.count({ where: { imageId: s.a.id } })).toBe(2);
    expect(await db.analysis.count({ where: { imageId: s.a.id } })).toBe(1);
    const audits = await auditActions(s.projectId);
    expect(audits).toEqual([
      { action: "images.move", data: { imageIds: moved.imageIds, toDatasetId: s.second.id, toDatasetName: "cycle 2" } },
    ]);
  });

  it("refuses files the target already holds, naming them, and moves nothing", async () => {
    const s = await seed();
    await seedImageRow(db, {
      projectId: s.projectId,
      datasetId: s.second.id,
      fileName: "copy.tif",
      sha256: s.a.sha256,
    });
    await expect(
      s.editor.dataset.moveImages({ projectId: s.projectId, imageIds: [s.a.id, s.b.id], datasetId: s.second.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: '"cycle 2" already holds the same file as "a.tif": a dataset keeps each file once, so nothing was moved',
    });
    expect(await db.image.count({ where: { datasetId: s.first.id } })).toBe(2);
    expect(await auditActions(s.projectId)).toEqual([]);
  });

  it("refuses another project's images or dataset, even mixed with its own", async () => {
    const s = await seed();
    const other = await seedProject(db, { owner: "OWNER" });
    const otherDataset = await db.dataset.create({ data: { projectId: other.project.id, name: "theirs" } });
    const theirs = await seedImageRow(db, {
      projectId: other.project.id,
      datasetId: otherDataset.id,
      fileName: "t.png",
    });
    await expect(
      s.editor.dataset.moveImages({ projectId: s.projectId, imageIds: [s.a.id, theirs.id], datasetId: s.second.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      s.editor.dataset.moveImages({ projectId: s.projectId, imageIds: [s.a.id], datasetId: otherDataset.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      s.editor.dataset.deleteImages({ projectId: s.projectId, imageIds: [s.a.id, theirs.id] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.image.count({ where: { id: { in: [s.a.id, theirs.id] } } })).toBe(2);
    expect(await db.image.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      datasetId: otherDataset.id,
    });
  });
});

describe("delete and what it removes", () => {
  it("counts what deleting images, a dataset or a label class removes, then deletes", async () => {
    const s = await seed();
    const impact = (target: Parameters<typeof s.editor.dataset.deletionImpact>[0]["target"]) =>
      s.editor.dataset.deletionImpact({ projectId: s.projectId, target });
    expect(await impact({ kind: "images", imageIds: [s.a.id] })).toEqual({
      name: null,
      images: 1,
      regions: 2,
      labels: 1,
      analyses: 1,
      objectSets: 0,
      tags: 0,
      unclassifiedRegions: 0,
    });
    expect(await impact({ kind: "dataset", datasetId: s.first.id })).toMatchObject({
      name: "cycle 1",
      images: 2,
      regions: 3,
      labels: 1,
      analyses: 1,
    });
    expect(await impact({ kind: "dataset", datasetId: s.second.id })).toMatchObject({ images: 0, regions: 0 });
    expect(await impact({ kind: "labelClass", labelClassId: s.dendrite.id })).toMatchObject({
      name: "Dendrite",
      labels: 1,
      unclassifiedRegions: 2,
      images: 0,
    });

    const deleted = await s.editor.dataset.deleteImages({ projectId: s.projectId, imageIds: [s.a.id, s.a.id] });
    expect(deleted.imageIds).toEqual([s.a.id]);
    expect(await db.region.count({ where: { imageId: s.a.id } })).toBe(0);
    expect(await db.analysis.count({ where: { imageId: s.a.id } })).toBe(0);

    await s.editor.labelClass.delete({ projectId: s.projectId, labelClassId: s.dendrite.id });
    expect(await db.region.findFirstOrThrow({ where: { imageId: s.b.id } })).toMatchObject({ labelClassId: null });
    await s.editor.dataset.delete({ projectId: s.projectId, datasetId: s.first.id });
    expect(await db.image.count({ where: { projectId: s.projectId } })).toBe(0);

    expect(await auditActions(s.projectId)).toEqual([
      { action: "images.delete", data: { imageIds: [s.a.id], fileNames: ["a.tif"] } },
      { action: "labelClass.delete", data: { name: "Dendrite" } },
      { action: "dataset.delete", data: { name: "cycle 1", images: 1 } },
    ]);
  });
});
