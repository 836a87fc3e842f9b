/**
 * Objects and scale on a real database: scale.set (refusals with clear messages, one image and a
 * whole dataset, clearing), objects.run / objects.forImage on an image of known discs (count,
 * descriptors, reuse by parameter hash, units from the current pixel size), the label-map route,
 * and the exports (objects.csv rows, the results CSV's per-image object numbers).
 */
import { CENTRES, HEIGHT, RADIUS, WIDTH, seedDiscsImage } from "./object-fixtures";
import sharp from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_OBJECT_PARAMS } from "~/core/objects/segment-objects";
import { db } from "~/server/db";
import { streamObjectsCsv, OBJECTS_CSV_COLUMNS } from "~/server/exports/stream-objects-csv";
import { RESULTS_CSV_COLUMNS, streamResultsCsv } from "~/server/exports/stream-results-csv";
import { blobStore } from "~/server/storage";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { callerFor, seedUser } from "../../../../tests/helpers/seed";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { labelsFromRgba } from "../object-set-labels";
import { trpcRefusal } from "../../../../tests/helpers/trpc-error-code";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));
const labelsRoute = await import("~/app/api/object-sets/[objectSetId]/labels/route");

afterAll(async () => {
  await closeHeavyWorkPool();
});

const seedDiscs = () => seedDiscsImage(db);

const refusal = trpcRefusal;

async function collect(source: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of source) text += chunk;
  return text;
}

describe("scale.set", () => {
  it("sets, reads back as given, refuses bad sizes with clear messages, and covers a dataset", async () => {
    const { project, users, dataset, image } = await seedDiscs();
    const {
      id: _id,
      metadata: _metadata,
      analysedArea: _area,
      ...copy
    } = await db.image.findUniqueOrThrow({
      where: { id: image.id },
    });
    const other = await db.image.create({ data: { ...copy, sha256: "other" } });
    const editor = callerFor(db, users.editor!);

    const set = await editor.scale.set({
      projectId: project.id,
      target: { kind: "image", imageId: image.id },
      pixelSize: { value: 2.5, unit: "nm" },
    });
    expect(set).toEqual({ pixelSize: { value: 2.5, unit: "nm" }, images: 1 });
    const workspace = await callerFor(db, users.viewer!).analysis.workspace({
      projectId: project.id,
      imageId: image.id,
    });
    expect(workspace.image.pixelSize).toEqual({ value: 2.5, unit: "nm" });
    expect(workspace.image.pixelSizeUm).toBe(0.0025);

    const bad: [unknown, RegExp][] = [
      [{ value: 0, unit: "nm" }, /pixel size must be a finite number > 0, got 0/],
      [{ value: -1, unit: "µm" }, /finite number > 0, got -1/],
      [{ value: Number.NaN, unit: "µm" }, /finite number > 0, got NaN/],
      [{ value: 1, unit: "um" }, /unit must be one of "nm", "µm", "mm", got "um"/],
      [{ value: 1, unit: "furlong" }, /unit must be one of/],
      [{ value: "1", unit: "nm" }, /finite number > 0/],
    ];
    for (const [pixelSize, message] of bad) {
      const refused = await refusal(
        editor.scale.set({
          projectId: project.id,
          target: { kind: "image", imageId: image.id },
          pixelSize: pixelSize as never,
        }),
      );
      expect(refused.code, JSON.stringify(pixelSize)).toBe("BAD_REQUEST");
      expect(refused.message).toMatch(message);
    }
    // Nothing changed by the refusals.
    expect((await db.image.findUniqueOrThrow({ where: { id: image.id } })).pixelSizeUnit).toBe("nm");

    const wide = await editor.scale.set({
      projectId: project.id,
      target: { kind: "dataset", datasetId: dataset.id },
      pixelSize: { value: 0.5, unit: "µm" },
    });
    expect(wide.images).toBe(2);
    const rows = await db.image.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.pixelSizeUm, row.pixelSizeUnit])).toEqual([
      [0.5, "µm"],
      [0.5, "µm"],
    ]);
    const listed = await editor.dataset.images({ projectId: project.id, datasetId: dataset.id });
    expect(listed.images.map((i) => i.pixelSize)).toEqual([
      { value: 0.5, unit: "µm" },
      { value: 0.5, unit: "µm" },
    ]);

    await editor.scale.set({ projectId: project.id, target: { kind: "image", imageId: other.id }, pixelSize: null });
    expect((await db.image.findUniqueOrThrow({ where: { id: other.id } })).pixelSizeUm).toBeNull();

    const audit = await db.auditEvent.findMany({ where: { projectId: project.id, action: "scale.set" } });
    expect(audit).toHaveLength(3);
    const activity = await editor.activity.list({ projectId: project.id, limit: 10 });
    expect(JSON.stringify(activity)).toContain("set the pixel size of an image to 2.5 nm");

    expect(
      (
        await refusal(
          callerFor(db, users.annotator!).scale.set({
            projectId: project.id,
            target: { kind: "image", imageId: image.id },
            pixelSize: { value: 1, unit: "nm" },
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });
});

describe("objects.run and objects.forImage", () => {
  it("finds the five discs, stores one set per parameters, and converts with the current pixel size", async () => {
    const { project, users, image, dataset } = await seedDiscs();
    const annotator = callerFor(db, users.annotator!);
    const viewer = callerFor(db, users.viewer!);

    expect(await viewer.objects.forImage({ projectId: project.id, imageId: image.id })).toBeNull();
    const run = await annotator.objects.run({ projectId: project.id, imageId: image.id, params: {} });
    expect(run.count).toBe(5);
    expect(run.polarity).toBe("bright");
    expect(run.width).toBe(WIDTH);
    expect(run.height).toBe(HEIGHT);
    expect(run.objects).toHaveLength(5);
    expect(run.objectsTruncated).toBe(false);
    expect(run.pixelSize).toBeNull();
    expect(run.physicalStats).toBeNull();
    expect(run.labelMapUrl).toBe(`/api/object-sets/${run.id}/labels`);
    const discArea = Math.PI * RADIUS * RADIUS;
    for (const object of run.objects) {
      expect(object.area).toBeGreaterThan(discArea * 0.9);
      expect(object.area).toBeLessThan(discArea * 1.1);
      expect(object.circularity).toBeGreaterThan(0.8);
    }
    const centroids = run.objects.map((o) => o.centroid!.map(Math.round));
    expect(centroids.sort()).toEqual([...CENTRES].map((c) => [...c]).sort());
    expect(run.imageStats.count).toBe(5);
    expect(run.imageStats.d50).toBeCloseTo(2 * RADIUS, 0);

    // Same parameters (defaults, spelled out or not): the stored set, no second row.
    const again = await annotator.objects.run({ projectId: project.id, imageId: image.id });
    expect(again.id).toBe(run.id);
    const forImage = await viewer.objects.forImage({
      projectId: project.id,
      imageId: image.id,
      params: { h: DEFAULT_OBJECT_PARAMS.h },
    });
    expect(forImage?.id).toBe(run.id);
    expect(await db.objectSet.count({ where: { imageId: image.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { projectId: project.id, action: "objects.run" } })).toBe(1);

    // Other parameters: another set.
    expect(
      await viewer.objects.forImage({ projectId: project.id, imageId: image.id, params: { minArea: 300 } }),
    ).toBeNull();
    const none = await annotator.objects.run({ projectId: project.id, imageId: image.id, params: { minArea: 300 } });
    expect(none.count).toBe(0);
    expect(none.id).not.toBe(run.id);

    // Bad parameters: a clear refusal.
    const bad = await refusal(annotator.objects.run({ projectId: project.id, imageId: image.id, params: { h: -1 } }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/h: h must be a finite number > 0/);
    expect((await refusal(viewer.objects.run({ projectId: project.id, imageId: image.id }))).code).toBe("FORBIDDEN");

    // A scale set afterwards shows up in units at once.
    await callerFor(db, users.editor!).scale.set({
      projectId: project.id,
      target: { kind: "dataset", datasetId: dataset.id },
      pixelSize: { value: 0.5, unit: "µm" },
    });
    const scaled = (await viewer.objects.forImage({ projectId: project.id, imageId: image.id }))!;
    expect(scaled.pixelSize).toEqual({ value: 0.5, unit: "µm" });
    expect(scaled.labelPixelSize).toEqual({ value: 0.5, unit: "µm" });
    const first = scaled.objects[0]!;
    expect(first.unit).toBe("µm");
    expect(first.area_um2).toBeCloseTo((first.area as number) * 0.25, 9);
    expect(first.equivalent_diameter_um).toBeCloseTo((first.equivalent_diameter as number) * 0.5, 9);
    expect(scaled.physicalStats?.d50_um).toBeCloseTo((scaled.imageStats.d50 as number) * 0.5, 9);

    // The label map: an RGBA PNG whose labels are the objects'.
    const outsider = await seedUser(db, "outsider");
    const get = (objectSetId: string) =>
      labelsRoute.GET(new Request(`http://localhost/api/object-sets/${objectSetId}/labels`), {
        params: Promise.resolve({ objectSetId }),
      });
    signedIn.userId = outsider.id;
    expect((await get(run.id)).status).toBe(404);
    signedIn.userId = users.viewer!.id;
    const response = await get(run.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([WIDTH, HEIGHT, 4]);
    const labels = labelsFromRgba(new Uint8Array(data));
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    for (const object of run.objects) {
      const [row, col] = object.centroid!.map(Math.round) as [number, number];
      expect(labels[row * WIDTH + col]).toBe(object.label);
    }
    expect((await get("c0000000000000000000000000")).status).toBe(404);
    signedIn.userId = null;

    // Exports: one objects.csv row per object of the reported set; results.csv per-image numbers.
    const settings = await reportResults(db, project.id, users.editor!.id, [
      { imageId: image.id, objectSetId: run.id },
    ]);
    const csv = (
      await collect(streamObjectsCsv({ db, blobs: blobStore(), scope: { projectId: project.id }, settings }))
    )
      .trimEnd()
      .split("\r\n");
    expect(csv[0]).toBe(OBJECTS_CSV_COLUMNS.join(","));
    expect(csv).toHaveLength(6);
    const header = csv[0]!.split(",");
    const cells = csv[1]!.split(",");
    const cell = (name: string) => cells[header.indexOf(name)];
    expect(cell("image_id")).toBe(image.id);
    expect(cell("dataset")).toBe("discs");
    expect(cell("file")).toBe("discs.png");
    expect(cell("object_set_id")).toBe(run.id);
    expect(cell("object_id")).toBe("1");
    expect(cell("pixel_size_um")).toBe("0.5");
    expect(Number(cell("area_um2"))).toBeCloseTo(Number(cell("area_px")) * 0.25, 9);
    expect(Number(cell("equivalent_diameter_um"))).toBeCloseTo(Number(cell("equivalent_diameter_px")) * 0.5, 9);

    const results = (await collect(streamResultsCsv({ db, scope: { projectId: project.id }, settings })))
      .trimEnd()
      .split("\r\n");
    expect(results[0]).toBe(RESULTS_CSV_COLUMNS.join(","));
    const resultCells = results[1]!.split(",");
    const resultCell = (name: string) => resultCells[results[0]!.split(",").indexOf(name)];
    expect(resultCell("object_count")).toBe("5");
    expect(Number(resultCell("object_coverage"))).toBeCloseTo((5 * discArea) / (WIDTH * HEIGHT), 2);
    expect(Number(resultCell("object_d50_um"))).toBeCloseTo(Number(resultCell("object_d50_px")) * 0.5, 3);
  });

  it("answers NOT_FOUND for an image of another project", async () => {
    const { project, users } = await seedDiscs();
    const other = await seedDiscs();
    const annotator = callerFor(db, users.annotator!);
    expect((await refusal(annotator.objects.run({ projectId: project.id, imageId: other.image.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await refusal(annotator.objects.forImage({ projectId: project.id, imageId: other.image.id }))).code).toBe(
      "NOT_FOUND",
    );
  });
});
