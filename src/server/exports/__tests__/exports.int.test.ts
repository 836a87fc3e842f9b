/**
 * Exports on a real database: COCO export -> import into a new project is lossless (polygons,
 * rectangles, brush strokes with erasing, masks, classes, image labels), the CSV carries the
 * analysis numbers, the overlay zip is a valid archive of PNGs; all streamed from paged reads.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import { db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { seedImageRows } from "../../../../tests/helpers/project-images";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { unzip } from "../../../../tests/helpers/unzip";
import { seedAnalysis, seedImageRow, seedStoredImage } from "../../sharing/__tests__/collaboration-fixtures";
import { cocoRleToMask } from "~/core/regions/coco-rle";
import { runCocoImport } from "~/server/imports/__tests__/run-coco-import";
import { rasterizeBrush } from "~/core/regions/rasterize-region";
import { RESULTS_CSV_COLUMNS, streamResultsCsv } from "../stream-results-csv";
import { streamCocoJson } from "../stream-coco-json";
import { streamOverlaysZip } from "../stream-overlays-zip";
import { pngGrey } from "~/server/codecs/__tests__/test-images";

async function collect(source: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(parts);
}

const polygon: RegionGeometry = {
  schemaVersion: 1,
  kind: "polygon",
  points: [
    [1.5, 2.25],
    [30, 4],
    [22.75, 19.5],
    [3, 15],
  ],
};
const rectangle: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 4, y: 5, width: 10.5, height: 7 };
const brush: RegionGeometry = {
  schemaVersion: 1,
  kind: "brush",
  strokes: [
    {
      mode: "paint",
      size: 6,
      points: [
        [5, 5],
        [20, 8],
        [35, 20],
      ],
    },
    {
      mode: "erase",
      size: 3,
      points: [
        [18, 8],
        [22, 8],
      ],
    },
    { mode: "paint", size: 2.5, points: [[40, 30]] },
  ],
};
// A 4 x 3 grid mask (e.g. from a cluster of the analysis image), stretched over the image.
const mask: RegionGeometry = {
  schemaVersion: 1,
  kind: "mask",
  gridWidth: 4,
  gridHeight: 3,
  runs: [1, 2, 3, 4, 2],
  source: { map: "clusters", clusterId: 1 },
};

async function seedAnnotatedProject() {
  const { project, users } = await seedProject(db, { owner: "OWNER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "cycle 10" } });
  const dendrite = await db.labelClass.create({
    data: { projectId: project.id, name: "Dendrite", color: "#ff0000", position: 0 },
  });
  const sphere = await db.labelClass.create({
    data: { projectId: project.id, name: "Spherical", color: "#00aaff", position: 1 },
  });
  const a = await seedImageRow(db, {
    projectId: project.id,
    datasetId: dataset.id,
    fileName: "a.png",
    width: 64,
    height: 48,
  });
  const b = await seedImageRow(db, {
    projectId: project.id,
    datasetId: dataset.id,
    fileName: "b.png",
    width: 50,
    height: 40,
  });
  const c = await seedImageRow(db, {
    projectId: project.id,
    datasetId: dataset.id,
    fileName: "unannotated.png",
  });
  const owner = callerFor(db, users.owner!);
  for (const [imageId, labelClassId, geometry] of [
    [a.id, dendrite.id, polygon],
    [a.id, null, rectangle],
    [a.id, sphere.id, brush],
    [b.id, dendrite.id, mask],
    [b.id, sphere.id, polygon],
  ] as const) {
    await owner.annotation.createRegion({ projectId: project.id, imageId, labelClassId, geometry });
  }
  await owner.annotation.setImageLabels({
    projectId: project.id,
    imageIds: [a.id],
    labelClassId: dendrite.id,
  });
  await owner.annotation.setImageLabels({ projectId: project.id, imageIds: [b.id], labelClassId: sphere.id });
  return { project, users, dataset, images: [a, b, c] };
}

/** Annotations of a project keyed by image sha256, class names instead of ids, in a stable order. */
async function annotationsBySha(projectId: string) {
  const images = await db.image.findMany({
    where: { projectId },
    orderBy: { sha256: "asc" },
    select: {
      sha256: true,
      label: { select: { labelClass: { select: { name: true, color: true } } } },
      regions: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { geometry: true, labelClass: { select: { name: true, color: true } } },
      },
    },
  });
  return images.map((image) => ({
    sha256: image.sha256,
    label: image.label?.labelClass ?? null,
    regions: image.regions.map((r) => ({ geometry: r.geometry, labelClass: r.labelClass })),
  }));
}

describe("COCO export and import", () => {
  it("round-trips polygons, rectangles, brush masks, masks and labels losslessly into a new project", async () => {
    const source = await seedAnnotatedProject();
    const coco = JSON.parse(
      (await collect(streamCocoJson({ db, scope: { projectId: source.project.id }, pageSize: 2 }))).toString("utf8"),
    );
    expect(coco.images).toHaveLength(3);
    expect(coco.annotations).toHaveLength(5);
    // A class-less region: its category is "unlabelled" (no class again on import).
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(["Dendrite", "Spherical", "unlabelled"]);
    expect(new Set(coco.annotations.map((a: { id: number }) => a.id)).size).toBe(5);

    // Standard COCO fields any tool can read.
    const brushAnnotation = coco.annotations.find(
      (a: { visual_ccc: { geometry: RegionGeometry } }) => a.visual_ccc.geometry.kind === "brush",
    );
    expect(brushAnnotation.segmentation.size).toEqual([48, 64]);
    const raster = rasterizeBrush(brush, 64, 48);
    expect(brushAnnotation.area).toBe(raster.reduce((sum, v) => sum + v, 0));
    expect(cocoRleToMask(brushAnnotation.segmentation.counts, 64, 48)).toEqual(raster);
    expect(raster[8 * 64 + 20]).toBe(0); // the erase stroke really removed paint
    const polygonAnnotation = coco.annotations.find(
      (a: { visual_ccc: { geometry: RegionGeometry } }) => a.visual_ccc.geometry.kind === "polygon",
    );
    expect(polygonAnnotation.segmentation).toEqual([[1.5, 2.25, 30, 4, 22.75, 19.5, 3, 15]]);
    expect(polygonAnnotation.bbox).toEqual([1.5, 2.25, 28.5, 17.25]);

    // A new project holding the same files (same bytes), without any annotation or class.
    const target = await seedProject(db, { owner: "OWNER" });
    const targetDataset = await db.dataset.create({
      data: { projectId: target.project.id, name: "cycle 10" },
    });
    for (const image of source.images) {
      await seedImageRow(db, {
        projectId: target.project.id,
        datasetId: targetDataset.id,
        fileName: image.fileName,
        width: image.width,
        height: image.height,
        sha256: image.sha256,
      });
    }
    const imported = await runCocoImport({
      projectId: target.project.id,
      actorId: target.users.owner!.id,
      document: coco,
    });
    expect(imported.run).toMatchObject({ type: "import-coco", status: "SUCCEEDED", progressDone: 5, progressTotal: 5 });
    const result = imported.payload.result;
    expect(result).toMatchObject({
      matchedImages: 3,
      unmatchedImages: [],
      regionsCreated: 5,
      labelsSet: 2,
      labelClassesCreated: ["Dendrite", "Spherical"],
      skippedAnnotations: [],
    });

    expect(await annotationsBySha(target.project.id)).toEqual(await annotationsBySha(source.project.id));
    // And exporting the copy gives the same document apart from its date.
    const again = JSON.parse(
      (await collect(streamCocoJson({ db, scope: { projectId: target.project.id } }))).toString("utf8"),
    );
    expect({ ...again, info: null }).toEqual({ ...coco, info: null });
  });

  it("imports plain COCO from other tools: polygons, uncompressed and compressed RLE, bare boxes", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
    const image = await seedImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "x.tif",
      width: 4,
      height: 3,
    });
    const document = {
      images: [
        { id: 7, file_name: "x.tif", width: 4, height: 3 },
        { id: 8, file_name: "missing.tif" },
      ],
      categories: [{ id: 3, name: "Needle" }],
      annotations: [
        {
          image_id: 7,
          category_id: 3,
          segmentation: [
            [0, 0, 3, 0, 3, 2],
            [1, 1, 2, 1, 2, 2],
          ],
          bbox: [0, 0, 3, 2],
        },
        // Column-major: column 0 = 3 background, column 1 = 1 bg + 2 fg, ...
        { image_id: 7, category_id: 3, segmentation: { counts: [4, 2, 6], size: [3, 4] } },
        // pycocotools' compressed form of the same runs ("42" then "6"): '4' '2' '6' as LEB-ish chars.
        { image_id: 7, category_id: 3, segmentation: { counts: "426", size: [3, 4] } },
        { image_id: 7, category_id: 3, bbox: [1, 1, 2, 1] },
        { image_id: 8, category_id: 3, bbox: [0, 0, 1, 1] },
        { image_id: 7, category_id: 99, bbox: [0, 0, 1, 1] },
      ],
    };
    const imported = await runCocoImport({
      projectId: project.id,
      datasetId: dataset.id,
      actorId: users.owner!.id,
      document,
      batchSize: 2,
    });
    expect(imported.run).toMatchObject({ status: "SUCCEEDED", progressDone: 5, progressTotal: 5 });
    const result = imported.payload.result!;
    expect(result.regionsCreated).toBe(5);
    expect(result.unmatchedImages).toEqual(["missing.tif"]);
    expect(result.skippedAnnotations).toEqual([
      { reason: "image not found in the project", count: 1 },
      { reason: "unknown category", count: 1 },
    ]);
    const regions = await db.region.findMany({
      where: { imageId: image.id },
      orderBy: { createdAt: "asc" },
      select: { geometry: true },
    });
    const kinds = regions.map((r) => (r.geometry as { kind: string }).kind);
    expect(kinds).toEqual(["polygon", "polygon", "mask", "mask", "rectangle"]);
    // Column-major counts [4, 2, 6] on 4 x 3: pixels 4, 5 (column 1, rows 1-2) are foreground.
    expect(regions[2]!.geometry).toMatchObject({ gridWidth: 4, gridHeight: 3, runs: [5, 1, 3, 1, 2] });
    expect(regions[3]!.geometry).toEqual(regions[2]!.geometry);
    // Not COCO: the run fails with the reason, nothing is written.
    const invalid = await runCocoImport({
      projectId: project.id,
      actorId: users.owner!.id,
      document: { images: "nope" },
    });
    expect(invalid.run).toMatchObject({ status: "FAILED" });
    expect(invalid.run.error).toMatch(/^Not a COCO annotation file: images:/);
    expect(await db.region.count({ where: { imageId: image.id } })).toBe(5);
  });
});

describe("results CSV", () => {
  it("has one row per image with prediction, label, model, Otsu and cluster shares", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "set, with comma" } });
    const labelClass = await db.labelClass.create({
      data: { projectId: project.id, name: "Dendrite", color: "#ff0000" },
    });
    const images = await seedImageRows(db, { projectId: project.id, datasetId: dataset.id }, 5, (i) => ({
      fileName: i === 0 ? "=HYPERLINK(evil).png" : `img-${i}.png`,
    }));
    const reportedAnalysis = await seedAnalysis(db, {
      imageId: images[0]!.id,
      prediction: "dendritic",
      paramsHash: "new",
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Viewed later with other parameters: newer, but not what the project reports.
    await seedAnalysis(db, { imageId: images[0]!.id, prediction: "spherical", paramsHash: "explored" });
    const settings = await reportResults(db, project.id, users.owner!.id, [
      { imageId: images[0]!.id, analysisId: reportedAnalysis.id },
      { imageId: images[1]!.id, failure: "cannot decode" },
    ]);
    await callerFor(db, users.owner!).annotation.setImageLabels({
      projectId: project.id,
      imageIds: [images[0]!.id],
      labelClassId: labelClass.id,
    });

    const csv = (
      await collect(
        streamResultsCsv({ db, scope: { projectId: project.id, datasetId: dataset.id }, settings, pageSize: 2 }),
      )
    ).toString("utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(RESULTS_CSV_COLUMNS.join(","));
    expect(lines[0]).toMatch(/,settings_version,status,uncertain,uncertain_reason$/);
    expect(lines).toHaveLength(6);
    const row = lines.find((line) => line.includes("HYPERLINK"))!;
    expect(row).toContain(`"set, with comma",'=HYPERLINK(evil).png,dendritic,0.8,Dendrite,,analyze-image@1,`);
    expect(row).toContain(`,117,0.42,0.125,,"16.667;33.333;50",`);
    expect(row).toContain("dendritic=0.8;spherical=0.2");
    // 0.8 >= the default minimum confidence, and no OOD score was stored: not uncertain.
    expect(row.endsWith(`,${settings.version},ok,false,`)).toBe(true);
    expect(lines.filter((line) => line.includes("img-")).every((line) => line.includes(",,,,"))).toBe(true);
    expect(lines.find((line) => line.includes("img-1"))).toMatch(/,1,failed: cannot decode,,$/);
    expect(lines.find((line) => line.includes("img-2"))).toMatch(/,1,not analysed with these settings,,$/);
    // Version 0 (nothing run under it) reports no results at all.
    const none = (
      await collect(streamResultsCsv({ db, scope: { projectId: project.id }, settings: { id: null, version: 0 } }))
    ).toString("utf8");
    expect(none).not.toContain("dendritic");
  });
});

describe("overlays zip", () => {
  it("is a valid zip of coloured PNGs, one folder per analysed image", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const owner = users.owner!;
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d/../x" } });
    const image = await seedStoredImage(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "cells.tif",
    });
    await seedStoredImage(db, { projectId: project.id, datasetId: dataset.id, fileName: "not-analysed.png" });
    const analysis = await seedAnalysis(db, { imageId: image.id });
    const settings = await reportResults(db, project.id, owner.id, [{ imageId: image.id, analysisId: analysis.id }]);
    const zip = await collect(
      streamOverlaysZip({ db, blobs: blobStore(), scope: { projectId: project.id }, settings }),
    );
    const entries = await unzip(zip);
    const folder = `d_.._x/cells_${image.id}`;
    expect([...entries.keys()].sort()).toEqual(
      ["cam", "clusters-3", "contrast", "grey", "segmentation"].map((m) => `${folder}/${m}.png`),
    );
    const segmentation = await sharp(entries.get(`${folder}/segmentation.png`)).metadata();
    expect(segmentation).toMatchObject({ format: "png", width: 16, height: 12, channels: 4 });
  });
});

describe("overlays zip scale bar", () => {
  it("burns a bottom-left scale bar into the overlays of an image with a pixel size", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER" });
    const reported: { imageId: string; analysisId: string }[] = [];
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "scaled" } });
    // The same 160 x 120 segmentation map (analysis resolution) over two 640 x 480 images, one
    // with a pixel size (0.1 µm: 64 µm across, 0.4 µm a map pixel, so a 10 µm bar of 25 px).
    const stored = await blobStore().put(await pngGrey(160, 120, 77));
    const segmentation = { key: stored.key, width: 160, height: 120, encoding: "mask" };
    const folders: Record<string, string> = {};
    for (const [fileName, pixelSizeUm] of [
      ["plain.png", null],
      ["scaled.png", 0.1],
    ] as const) {
      const image = await seedStoredImage(db, { projectId: project.id, datasetId: dataset.id, fileName });
      await db.image.update({ where: { id: image.id }, data: { width: 640, height: 480, pixelSizeUm } });
      const analysis = await seedAnalysis(db, { imageId: image.id });
      const mapKeys = { ...(analysis.mapKeys as Record<string, unknown>), segmentation };
      await db.analysis.update({ where: { id: analysis.id }, data: { mapKeys } });
      reported.push({ imageId: image.id, analysisId: analysis.id });
      folders[fileName] = `scaled/${fileName.replace(".png", "")}_${image.id}`;
    }
    const settings = await reportResults(db, project.id, users.owner!.id, reported);
    const entries = await unzip(
      await collect(streamOverlaysZip({ db, blobs: blobStore(), scope: { projectId: project.id }, settings })),
    );
    const pixels = async (fileName: string) => {
      const png = entries.get(`${folders[fileName]}/segmentation.png`)!;
      const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 160, height: 120 });
      return { data, channels: info.channels };
    };
    const plain = await pixels("plain.png");
    const scaled = await pixels("scaled.png");
    const changed = (x0: number, y0: number, x1: number, y1: number) => {
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * 160 + x) * plain.channels;
          // Fully transparent pixels are equal whatever their colour channels hold.
          const clear = plain.data[i + 3] === 0 && scaled.data[i + 3] === 0;
          if (!clear && [0, 1, 2, 3].some((c) => plain.data[i + c] !== scaled.data[i + c])) count++;
        }
      }
      return count;
    };
    // The bar (white, outlined) sits in the bottom-left corner; the top-right is untouched.
    expect(changed(0, 90, 60, 120)).toBeGreaterThan(40);
    expect(changed(80, 0, 160, 60)).toBe(0);
  });
});
