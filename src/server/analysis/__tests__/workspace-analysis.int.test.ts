import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { displayImageBlob } from "~/server/images/display-image";
import { blobStore } from "~/server/storage";
import { encodeTiff16 } from "../../../../tests/helpers/tiff16";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { unsafeFindAnalysisMap } from "../find-analysis-map";
import { requestImageAnalysis } from "../request-image-analysis";
import { centreCropFrame, frameOfResizedRect, storedFrame, tiledAreaInResized } from "../cam-frame";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { micrographPng, withDataBar } from "../../../../tests/helpers/micrograph";

async function seedImage(bytes: Buffer, format: string, width: number, height: number, bitDepth: number) {
  const { project, users } = await seedProject(db, { owner: "OWNER", annotator: "ANNOTATOR", viewer: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
  const stored = await blobStore().put(bytes);
  const image = await db.image.create({
    data: {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: `a.${format}`,
      blobKey: stored.key,
      sha256: stored.sha256,
      byteSize: bytes.length,
      thumbnailKey: stored.key,
      format,
      width,
      height,
      bitDepth,
      channels: 1,
    },
  });
  return { project, users, dataset, image };
}

async function stripes(): Promise<Buffer> {
  const width = 64;
  const height = 48;
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = [20, 120, 230][Math.floor((i % width) / 22)]!;
  return sharp(grey, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

describe("workspace analysis", () => {
  it("runs the analysis for K, stores it once per parameters, and lists it with its maps", async () => {
    const { project, users, dataset, image } = await seedImage(await stripes(), "png", 64, 48, 8);
    const annotator = callerFor(db, users.annotator!);
    const first = await annotator.analysis.run({
      projectId: project.id,
      imageId: image.id,
      k: 3,
      model: null,
    });
    expect(first.ks).toEqual([3]);
    expect(first.params?.analysis.ks).toEqual([3]);
    expect(first.maps.map((m) => m.name)).toEqual(["grey", "segmentation", "contrast", "clusters-3"]);
    expect(first.clusterStats?.["3"]?.areaPercent.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1);

    // Same parameters: the same row; another K: a second row.
    const again = await annotator.analysis.run({
      projectId: project.id,
      imageId: image.id,
      k: 3,
      model: null,
    });
    expect(again.id).toBe(first.id);
    await annotator.analysis.run({ projectId: project.id, imageId: image.id, k: 5, model: null });

    const viewer = callerFor(db, users.viewer!);
    const workspace = await viewer.analysis.workspace({ projectId: project.id, imageId: image.id });
    expect(workspace.analyses.map((a) => a.ks[0])).toEqual([5, 3]);
    expect(workspace.image.displayUrl).toBe(`/api/images/${image.id}/display`);
    expect(workspace.navigation).toMatchObject({ position: 0, count: 1, previousId: null, nextId: null });
    await expect(viewer.analysis.run({ projectId: project.id, imageId: image.id, k: 4 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await viewer.analysis.predictions({ projectId: project.id, datasetId: dataset.id })).toEqual([]);

    // The overlay route resolves map names to blobs of this analysis only.
    const map = await unsafeFindAnalysisMap({ db, analysisId: first.id, map: "clusters-3" });
    expect(map?.projectId).toBe(project.id);
    const png = await blobStore().get(map!.blobKey);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([first.maps[3]!.width, first.maps[3]!.height, 1]);
    expect(await unsafeFindAnalysisMap({ db, analysisId: first.id, map: "nope" })).toBeNull();
  });

  it("refuses K out of range and images of other projects", async () => {
    const { project, users, image } = await seedImage(await stripes(), "png", 64, 48, 8);
    const other = await seedImage(await stripes(), "png", 64, 48, 8);
    const annotator = callerFor(db, users.annotator!);
    await expect(annotator.analysis.run({ projectId: project.id, imageId: image.id, k: 11 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      annotator.analysis.run({ projectId: project.id, imageId: other.image.id, k: 3 }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("with a classifier", () => {
  it("stores the CAM of the predicted class and reports prediction and confidence", async () => {
    const { project, users, dataset, image } = await seedImage(await stripes(), "png", 64, 48, 8);
    const analysis = await requestImageAnalysis({
      db,
      projectId: project.id,
      actorId: users.annotator!.id,
      imageId: image.id,
      params: { ks: [3] },
      model: "tests/fixtures/inference/tiny-visualcnn.onnx",
      classification: "centre-crop",
    });
    const cam = analysis.maps.find((map) => map.role === "cam");
    expect(cam).toMatchObject({ name: "cam", width: 256, height: 256, encoding: "heat" });
    expect(cam?.rect).toEqual(storedFrame(centreCropFrame({ width: 64, height: 48 })));
    expect(cam?.camClass?.name).toBe(analysis.prediction);
    expect(analysis.confidence).toBeGreaterThan(0);
    expect(analysis.probabilities.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 5);
    const predictions = await callerFor(db, users.viewer!).analysis.predictions({
      projectId: project.id,
      datasetId: dataset.id,
    });
    expect(predictions).toEqual([
      {
        imageId: image.id,
        prediction: analysis.prediction,
        confidence: analysis.confidence,
        analysisId: analysis.id,
        // The tiny test model has no calibration: its ~0.5 probabilities are reported uncertain.
        uncertainReason: analysis.uncertainty.reason,
      },
    ]);
    expect(analysis.uncertainty).toEqual({ uncertain: true, reason: expect.stringMatching(/^low confidence \(/) });
  });
});

describe("display variant", () => {
  it("windows a 16-bit TIFF to 8 bits at full resolution, once per source", async () => {
    const width = 40;
    const height = 30;
    const data = new Uint16Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = 1000 + (i % width) * 10; // 1000..1390
    const tiff = encodeTiff16([{ width, height, data }]);
    const blobs = blobStore();
    const stored = await blobs.put(tiff);
    const source = { sha256: stored.sha256, blobKey: stored.key, format: "tiff", bitDepth: 16, width, height };
    const display = await displayImageBlob({ blobs, source });
    expect(display.mediaType).toBe("image/png");
    const png = await blobs.get(display.blobKey);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([width, height, 1, "uchar"]);
    const pixels = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(pixels[0]).toBe(0);
    expect(pixels[width - 1]).toBe(255);
    expect((await displayImageBlob({ blobs, source })).blobKey).toBe(display.blobKey);
    // Browser-ready originals are served as they are, unless too big to draw at once.
    expect(await displayImageBlob({ blobs, source: { ...source, format: "png", bitDepth: 8 } })).toEqual({
      blobKey: stored.key,
      mediaType: "image/png",
    });
    const huge = { ...source, format: "png", bitDepth: 8, width: 50_000, height: 400 };
    expect((await displayImageBlob({ blobs, source: huge })).blobKey).not.toBe(stored.key);
  });
});

describe("the workspace's classification mode", () => {
  const model = "tests/fixtures/inference/tiny-visualcnn.onnx";

  it("tiles the analysed area when asked (the project's data bar setting), each mode its own analysis", async () => {
    const png = await withDataBar(await micrographPng(4, { width: 600, height: 450, particles: 20 }), 30, 1);
    const { project, users, image } = await seedImage(png, "png", 600, 450, 8);
    const area = { x: 0, y: 0, width: 600, height: 420 };
    await db.image.update({ where: { id: image.id }, data: { analysedArea: { ...area, source: "manual" } } });
    // The service the workspace's analysis.run calls (the router takes model names, not test paths).
    const run = (classification?: "tiles" | "centre-crop") =>
      requestImageAnalysis({
        db,
        projectId: project.id,
        actorId: users.annotator!.id,
        imageId: image.id,
        params: { ks: [3] },
        model,
        classification,
      });

    // Never-saved settings leave the data bar out: so do the tiles.
    const tiled = await run("tiles");
    expect(tiled.params?.classifier).toMatchObject({ classification: "tiles", analysedArea: area });
    const rect = tiledAreaInResized(area, { width: 600, height: 450 });
    expect(tiled.maps.find((map) => map.role === "cam")).toMatchObject({
      width: rect.width,
      height: rect.height,
      rect: storedFrame(frameOfResizedRect(rect, { width: 600, height: 450 })),
    });
    // Asked again: the stored analysis.
    expect((await run("tiles")).id).toBe(tiled.id);

    // The centre crop (also what a caller that does not say gets): another analysis, today's.
    const crop = await run("centre-crop");
    expect((await run()).id).toBe(crop.id);
    expect(crop.id).not.toBe(tiled.id);
    expect(crop.params?.classifier?.classification).toBeUndefined();
    expect(crop.maps.find((map) => map.role === "cam")?.rect).toEqual(
      storedFrame(centreCropFrame({ width: 600, height: 450 })),
    );

    // A project that leaves the data bar in: the tiles cover the whole image, a new analysis.
    await callerFor(db, users.owner!).settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, analysedArea: "whole-image" },
    });
    const whole = await run("tiles");
    expect(whole.id).not.toBe(tiled.id);
    expect(whole.params?.classifier?.classification).toBe("tiles");
    expect(whole.params?.classifier?.analysedArea).toBeUndefined();
    expect(whole.maps.find((map) => map.role === "cam")).toMatchObject({ width: 409, height: 307 });
  });
});
