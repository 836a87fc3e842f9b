/**
 * COCO import modes on a real database: "merge" skips regions identical to existing ones (so the
 * same file twice adds nothing, and an export imported back into its own project adds nothing),
 * "replace" removes the regions of the file's images first; class-less regions export under an
 * "unlabelled" category that exists in `categories` and import back without a class.
 */
import { describe, expect, it } from "vitest";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import { db } from "~/server/db";
import { streamCocoJson } from "~/server/exports/stream-coco-json";
import { seedProject } from "../../../../tests/helpers/seed";
import { seedImageRow } from "../../sharing/__tests__/collaboration-fixtures";
import { runCocoImport } from "./run-coco-import";

async function exported(projectId: string) {
  const parts: string[] = [];
  for await (const chunk of streamCocoJson({ db, scope: { projectId } }))
    parts.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
  return JSON.parse(parts.join("")) as {
    categories: { id: number; name: string }[];
    annotations: { category_id: number }[];
  };
}

const rectangle: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 4, y: 5, width: 10, height: 7 };

async function seed() {
  const { project, users } = await seedProject(db, { owner: "OWNER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
  const image = await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: "x.tif" });
  const other = await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: "y.tif" });
  return { projectId: project.id, actorId: users.owner!.id, image, other };
}

const plainCoco = {
  images: [{ id: 1, file_name: "x.tif", width: 64, height: 48 }],
  categories: [{ id: 3, name: "Needle" }],
  annotations: [
    { image_id: 1, category_id: 3, segmentation: [[0, 0, 10, 0, 10, 10]] },
    { image_id: 1, category_id: 3, bbox: [1, 1, 2, 3] },
    { image_id: 1, category_id: 3, bbox: [1, 1, 2, 3] },
  ],
};

describe("COCO import modes", () => {
  it("merge: the same file twice adds nothing the second time, and says what it skipped", async () => {
    const s = await seed();
    const first = await runCocoImport({ ...s, document: plainCoco });
    // The file repeats a box: merge compares with what the image had before, so both are kept.
    expect(first.payload.result).toMatchObject({ mode: "merge", regionsCreated: 3, regionsSkippedIdentical: 0 });
    const second = await runCocoImport({ ...s, document: plainCoco, batchSize: 2 });
    expect(second.run).toMatchObject({ status: "SUCCEEDED", progressDone: 3, progressTotal: 3 });
    expect(second.payload.result).toMatchObject({ mode: "merge", regionsCreated: 0, regionsSkippedIdentical: 3 });
    expect(await db.region.count({ where: { imageId: s.image.id } })).toBe(3);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: {
        projectId: s.projectId,
        action: "annotations.import",
        data: { path: ["jobRunId"], equals: second.run.id },
      },
    });
    expect(audit.data).toMatchObject({ mode: "merge", regions: 0, skippedIdentical: 3, removed: 0 });
  });

  it("merge: a project's own export imported back adds nothing; another class or shape is added", async () => {
    const s = await seed();
    const needle = await db.labelClass.create({ data: { projectId: s.projectId, name: "Needle", color: "#00ff00" } });
    await db.region.create({ data: { imageId: s.image.id, labelClassId: needle.id, geometry: rectangle } });
    await db.region.create({ data: { imageId: s.image.id, labelClassId: null, geometry: rectangle } });
    const coco = await exported(s.projectId);
    expect((await runCocoImport({ ...s, document: coco })).payload.result).toMatchObject({
      regionsCreated: 0,
      regionsSkippedIdentical: 2,
    });
    // A plain COCO tool keeps only the polygon of the box: still the same region.
    const plain = {
      images: [{ id: 1, file_name: "x.tif" }],
      categories: [{ id: 1, name: "Needle" }],
      annotations: [
        { image_id: 1, category_id: 1, segmentation: [[14, 12, 14, 5, 4, 5, 4, 12]] },
        { image_id: 1, category_id: 1, segmentation: [[14, 12, 14, 5, 4, 5, 4, 13]] },
        { image_id: 1, category_id: 2, bbox: [4, 5, 10, 7] },
      ],
    };
    const result = (
      await runCocoImport({ ...s, document: { ...plain, categories: [...plain.categories, { id: 2, name: "Other" }] } })
    ).payload.result;
    expect(result).toMatchObject({ regionsCreated: 2, regionsSkippedIdentical: 1 });
  });

  it("replace: removes every region of the file's images first, leaves other images alone", async () => {
    const s = await seed();
    await db.region.create({ data: { imageId: s.image.id, labelClassId: null, geometry: rectangle } });
    await db.region.create({ data: { imageId: s.image.id, labelClassId: null, geometry: rectangle } });
    await db.region.create({ data: { imageId: s.other.id, labelClassId: null, geometry: rectangle } });
    const replaced = await runCocoImport({ ...s, document: plainCoco, mode: "replace", batchSize: 2 });
    expect(replaced.payload.result).toMatchObject({ mode: "replace", regionsRemoved: 2, regionsCreated: 3 });
    expect(await db.region.count({ where: { imageId: s.image.id } })).toBe(3);
    expect(await db.region.count({ where: { imageId: s.other.id } })).toBe(1);
    // Again: the same three, not six.
    await runCocoImport({ ...s, document: plainCoco, mode: "replace" });
    expect(await db.region.count({ where: { imageId: s.image.id } })).toBe(3);
    // A file naming the image without annotations clears it.
    const cleared = await runCocoImport({ ...s, document: { ...plainCoco, annotations: [] }, mode: "replace" });
    expect(cleared.payload.result).toMatchObject({ regionsRemoved: 3, regionsCreated: 0 });
    expect(await db.region.count({ where: { imageId: s.image.id } })).toBe(0);
  });

  it("exports class-less regions under an 'unlabelled' category and imports them back without a class", async () => {
    const s = await seed();
    const needle = await db.labelClass.create({ data: { projectId: s.projectId, name: "Needle", color: "#00ff00" } });
    await db.region.create({ data: { imageId: s.image.id, labelClassId: needle.id, geometry: rectangle } });
    await db.region.create({ data: { imageId: s.image.id, labelClassId: null, geometry: rectangle } });
    const coco = await exported(s.projectId);
    expect(coco.categories.map((c) => c.name)).toEqual(["Needle", "unlabelled"]);
    const ids = new Set(coco.categories.map((c) => c.id));
    expect(coco.annotations.every((a) => ids.has(a.category_id))).toBe(true);
    expect(coco.annotations.map((a) => a.category_id)).not.toContain(0);

    const target = await seed();
    await runCocoImport({ ...target, document: coco });
    const regions = await db.region.findMany({ where: { imageId: target.image.id }, include: { labelClass: true } });
    expect(regions.map((r) => r.labelClass?.name ?? null).sort()).toEqual(["Needle", null]);
    expect(await db.labelClass.findMany({ where: { projectId: target.projectId }, select: { name: true } })).toEqual([
      { name: "Needle" },
    ]);
    // A plain "unlabelled" category of another tool means no class too.
    const plain = {
      images: [{ id: 1, file_name: "y.tif" }],
      categories: [{ id: 5, name: "unlabelled" }],
      annotations: [{ image_id: 1, category_id: 5, bbox: [1, 1, 2, 2] }],
    };
    await runCocoImport({ ...target, document: plain });
    expect(await db.region.findFirstOrThrow({ where: { imageId: target.other.id } })).toMatchObject({
      labelClassId: null,
    });
  });
});
