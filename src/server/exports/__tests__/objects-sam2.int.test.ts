/**
 * The objects exports of SAM 2 sets, with the probe model, real ONNX Runtime and sharp on the
 * embedded database: two images get their automatic masks (requestSam2ObjectSet, default
 * parameters), a third has only a classical set, a fourth a SAM 2 set whose label map is smaller
 * than the image. objects.csv with objects "sam2" has one row per mask whose descriptors are those
 * of the WHOLE mask (area, centroid and box recomputed here from its RLE, though masks overlap),
 * SAM's columns as stored, units from the pixel size, and one "not generated" row for the image
 * without a set; other parameters select other sets. objects.coco.json has one annotation per mask
 * whose RLE decodes to the stored mask (upsampled nearest-neighbour where the grid is smaller,
 * overlaps kept), score = predicted IoU, and lists the image without a set as not generated. The
 * route takes the option (400 for a model that is not installed or an option on another export),
 * and the classical exports are the same bytes with or without `objects: classical`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { cocoRleToMask, maskToCocoRle } from "~/core/regions/coco-rle";
import { SAM2_AMG_DEFAULTS } from "~/core/sam2/amg-params";
import { db } from "~/server/db";
import type { ReadySam2Model } from "~/server/inference/sam2/ensure-sam2-embedding";
import { findReadySam2Model } from "~/server/inference/sam2/sam2-registry";
import { SAM2_FIXTURES, installProbeForFile } from "~/server/inference/sam2/__tests__/sam2-fixtures";
import type { Sam2StoredObject } from "~/server/objects/compute-sam2-object-set";
import { encodeLabelMapPng } from "~/server/objects/object-set-labels";
import { requestSam2ObjectSet } from "~/server/objects/request-sam2-object-set";
import { sam2ObjectParamsHash } from "~/server/objects/sam2-object-set-record";
import { blobStore } from "~/server/storage";
import {
  ONE_MEMBER_PER_ROLE,
  seedProjectWithDataset,
  seedStoredImageRow,
} from "../../../../tests/helpers/project-images";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { callerFor } from "../../../../tests/helpers/seed";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { seedObjectSet } from "../../objects/__tests__/object-fixtures";
import { maskAreaAndBox } from "../coco-annotation";
import { resolveObjectsSource, SAM2_NOT_GENERATED, type ObjectsSource } from "../objects-source";
import { streamObjectsCoco } from "../stream-objects-coco";
import { OBJECTS_CSV_COLUMNS, SAM2_OBJECTS_CSV_COLUMNS, streamObjectsCsv } from "../stream-objects-csv";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));
const exportsRoute = await import("~/app/api/projects/[projectId]/exports/[kind]/route");

installProbeForFile();

async function collect(source: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(parts);
}

type CsvTable = { header: string[]; rows: Record<string, string>[] };

/** The export's cells by column name (no cell here holds a comma or a quote). */
function parseCsv(text: string): CsvTable {
  const [head, ...lines] = text.trimEnd().split("\r\n");
  const header = head!.split(",");
  return {
    header,
    rows: lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [header[i]!, cell]))),
  };
}

type Rle = { counts: number[]; size: [number, number] };
type CocoDocument = {
  info: { description: string };
  images: { id: number; width: number; height: number; visual_ccc: { image_id: string; object_set_id: string } }[];
  annotations: {
    image_id: number;
    segmentation: Rle;
    area: number;
    bbox: [number, number, number, number];
    iscrowd: number;
    score: number;
    visual_ccc: { object_set_id: string; object_id: number; px: Record<string, unknown>; um: unknown };
  }[];
  visual_ccc?: {
    objects: string;
    sam_model: { name: string; pair_sha256: string };
    generator: Record<string, number>;
    not_generated: { reason: string; images: { image_id: string; file_name: string }[] };
  };
};

/** A 16 x 12 image whose SAM 2 set was made on an 8 x 6 grid: two masks that overlap at (row 2, col 3). */
async function seedSmallGridSam2Set(options: { projectId: string; imageId: string; model: ReadySam2Model }) {
  const width = 8;
  const height = 6;
  const mask = (cells: [row: number, col: number][]) => {
    const m = new Uint8Array(width * height);
    for (const [row, col] of cells) m[row * width + col] = 1;
    return m;
  };
  const masks = [
    mask([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
      [2, 3],
    ]),
    mask([
      [2, 3],
      [2, 4],
      [3, 3],
      [3, 4],
    ]),
  ];
  const labels = new Int32Array(width * height);
  masks.forEach((m, i) => m.forEach((on, p) => on && (labels[p] = i + 1)));
  const records = masks.map((m, i) => ({
    label: i + 1,
    area: m.reduce((a, b) => a + b, 0),
    predicted_iou: [0.91, 0.87][i]!,
    stability_score: [0.97, 0.96][i]!,
    point: [[2, 1] as const, [4, 3] as const][i]!,
    rle: maskToCocoRle(m, width, height),
  }));
  const png = await blobStore().put(new Uint8Array(await encodeLabelMapPng(labels, width, height)));
  const json = await blobStore().put(Buffer.from(JSON.stringify(records)));
  const set = await db.objectSet.create({
    data: {
      projectId: options.projectId,
      imageId: options.imageId,
      method: "sam2",
      params: { method: "sam2" },
      paramsHash: sam2ObjectParamsHash(options.model.pairSha256, SAM2_AMG_DEFAULTS),
      codeVersion: "sam2-objects@1",
      labelMapKey: png.key,
      width,
      height,
      count: records.length,
      threshold: 0,
      polarity: "bright",
      imageStats: { count: records.length },
      objects: records as never,
      objectsKey: json.key,
    },
  });
  return { set, masks, width, height };
}

async function seedScene() {
  const { project, users, dataset } = await seedProjectWithDataset(db, ONE_MEMBER_PER_ROLE, "sam2");
  const fixture = (name: string) => readFileSync(path.join(SAM2_FIXTURES, "images", name));
  const image = (fileName: string, bytes: Buffer, width: number, height: number) =>
    seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName,
      bytes,
      format: "png",
      width,
      height,
      channels: 1,
    });
  const small = await image("discs-200x150.png", fixture("discs-200x150.png"), 200, 150);
  const tall = await image("discs-320x400.png", fixture("discs-320x400.png"), 320, 400);
  const classicalOnly = await image("classical-only.png", Buffer.from("never decoded"), 8, 6);
  const upsampled = await image("upsampled.png", Buffer.from("never decoded either"), 16, 12);
  const model = (await findReadySam2Model("probe")) as ReadySam2Model;
  const generate = (imageId: string, params = SAM2_AMG_DEFAULTS) =>
    requestSam2ObjectSet({
      db,
      store: blobStore(),
      projectId: project.id,
      actorId: users.annotator!.id,
      imageId,
      model,
      params,
    });
  const sets = { small: await generate(small.id), tall: await generate(tall.id) };
  const coarse = await generate(small.id, { ...SAM2_AMG_DEFAULTS, pointsPerSide: 16 });
  const grid = await seedSmallGridSam2Set({ projectId: project.id, imageId: upsampled.id, model });
  // The classical set of the third image, reported under the project's settings.
  const classical = await seedObjectSet(db, { projectId: project.id, imageId: classicalOnly.id });
  const settings = await reportResults(db, project.id, users.editor!.id, [
    { imageId: classicalOnly.id, objectSetId: classical.id },
  ]);
  await callerFor(db, users.editor!).scale.set({
    projectId: project.id,
    target: { kind: "image", imageId: small.id },
    pixelSize: { value: 500, unit: "nm" },
  });
  return {
    project,
    users,
    images: { small, tall, classicalOnly, upsampled },
    sets,
    coarse,
    grid,
    classical,
    settings,
    model,
  };
}

type Scene = Awaited<ReturnType<typeof seedScene>>;
let scene: Scene;
beforeAll(async () => {
  scene = await seedScene();
}, 240_000);

const exportOptions = (objects?: ObjectsSource) => ({
  db,
  blobs: blobStore(),
  scope: { projectId: scene.project.id },
  settings: scene.settings,
  pageSize: 2,
  ...(objects && { objects }),
});

/** Stored masks of a generated set, every record (the row holds them all here). */
const storedObjects = (set: { objects: unknown }) => set.objects as Sam2StoredObject[];

describe("objects.csv of SAM 2 objects", () => {
  it("has one row per mask with the whole mask's descriptors, SAM's numbers and units", async () => {
    const sam2 = await resolveObjectsSource({ objects: "sam2" });
    expect(sam2).toMatchObject({ method: "sam2", model: { name: "probe" }, params: SAM2_AMG_DEFAULTS });
    const csv = parseCsv((await collect(streamObjectsCsv(exportOptions(sam2)))).toString("utf8"));
    expect(csv.header).toEqual([...SAM2_OBJECTS_CSV_COLUMNS]);
    expect(csv.header.slice(-5)).toEqual(["predicted_iou", "stability_score", "point_x", "point_y", "status"]);

    for (const [name, set] of Object.entries(scene.sets)) {
      const image = scene.images[name as "small" | "tall"];
      const objects = storedObjects(set);
      expect(objects.length, name).toBeGreaterThan(10);
      const rows = csv.rows.filter((row) => row.image_id === image.id);
      expect(rows.map((row) => Number(row.object_id))).toEqual(objects.map((o) => o.label));
      rows.forEach((row, i) => {
        const object = objects[i]!;
        expect(row).toMatchObject({ file: image.fileName, dataset: "sam2", object_set_id: set.id, status: "ok" });
        // The whole mask, from its RLE (not the part the label map shows where masks overlap).
        const mask = cocoRleToMask(object.rle.counts, image.width, image.height);
        let area = 0;
        let sumRow = 0;
        let sumCol = 0;
        for (let p = 0; p < mask.length; p++) {
          if (!mask[p]) continue;
          area++;
          sumRow += Math.floor(p / image.width);
          sumCol += p % image.width;
        }
        const { bbox } = maskAreaAndBox(mask, image.width, image.height);
        expect(Number(row.area_px)).toBe(area);
        expect(Number(row.centroid_row_px)).toBeCloseTo(sumRow / area, 9);
        expect(Number(row.centroid_col_px)).toBeCloseTo(sumCol / area, 9);
        expect([row.bbox_min_row, row.bbox_min_col, row.bbox_max_row, row.bbox_max_col].map(Number)).toEqual([
          bbox[1],
          bbox[0],
          bbox[1] + bbox[3],
          bbox[0] + bbox[2],
        ]);
        expect(Number(row.equivalent_diameter_px)).toBeCloseTo(Math.sqrt((4 * area) / Math.PI), 9);
        for (const column of ["perimeter", "axis_major_length", "feret_diameter_max"] as const) {
          expect(Number(row[`${column}_px`]), column).toBe(object[column]);
        }
        expect(Number(row.solidity)).toBe(object.solidity);
        expect(Number(row.predicted_iou)).toBe(object.predicted_iou);
        expect(Number(row.stability_score)).toBe(object.stability_score);
        expect([Number(row.point_x), Number(row.point_y)]).toEqual(object.point);
        if (name === "small") {
          expect(row.pixel_size_um).toBe("0.5");
          expect(Number(row.area_um2)).toBeCloseTo(area * 0.25, 9);
        } else {
          expect(row.pixel_size_um).toBe("");
          expect(row.area_um2).toBe("");
        }
      });
    }
    // The masks overlap (so the label map alone could not give these areas).
    const small = storedObjects(scene.sets.small);
    const sumOfAreas = small.reduce((sum, o) => sum + o.area, 0);
    expect(sumOfAreas).toBeGreaterThan(scene.images.small.width * scene.images.small.height);

    // The image with only a classical set: one row saying so, nothing else in it.
    const missing = csv.rows.filter((row) => row.image_id === scene.images.classicalOnly.id);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: "classical-only.png", object_set_id: "", object_id: "", area_px: "" });
    expect(missing[0]!.status).toBe(SAM2_NOT_GENERATED);
    expect(csv.rows.filter((row) => row.image_id === scene.images.upsampled.id)).toHaveLength(2);
  });

  it("reads the sets of the parameters asked for", async () => {
    const coarse = await resolveObjectsSource({ objects: "sam2", samModel: "probe", samParams: { pointsPerSide: 16 } });
    const csv = parseCsv((await collect(streamObjectsCsv(exportOptions(coarse)))).toString("utf8"));
    const generated = csv.rows.filter((row) => row.status === "ok");
    expect(new Set(generated.map((row) => row.object_set_id))).toEqual(new Set([scene.coarse.id]));
    expect(generated).toHaveLength(scene.coarse.count);
    const notGenerated = csv.rows.filter((row) => row.status === SAM2_NOT_GENERATED).map((row) => row.file);
    expect(notGenerated.sort()).toEqual(["classical-only.png", "discs-320x400.png", "upsampled.png"]);
  });
});

describe("objects.coco.json of SAM 2 objects", () => {
  it("has one annotation per whole mask, its RLE the stored mask, score the predicted IoU", async () => {
    const sam2 = await resolveObjectsSource({ objects: "sam2" });
    const coco = JSON.parse(
      (await collect(streamObjectsCoco({ ...exportOptions(sam2), now: new Date(0) }))).toString("utf8"),
    ) as CocoDocument;
    expect(coco.info.description).toBe("Visual-CCC objects (SAM 2)");
    expect(coco.visual_ccc).toMatchObject({
      objects: "sam2",
      sam_model: { name: "probe", pair_sha256: scene.model.pairSha256 },
      generator: SAM2_AMG_DEFAULTS,
    });
    expect(coco.visual_ccc!.not_generated.reason).toBe(SAM2_NOT_GENERATED);
    expect(coco.visual_ccc!.not_generated.images).toEqual([
      { image_id: scene.images.classicalOnly.id, file_name: "classical-only.png", dataset: "sam2" },
    ]);
    expect(coco.images.map((i) => i.visual_ccc.image_id).sort()).toEqual(
      [scene.images.small.id, scene.images.tall.id, scene.images.upsampled.id].sort(),
    );

    for (const [name, set] of Object.entries(scene.sets)) {
      const image = scene.images[name as "small" | "tall"];
      const entry = coco.images.find((i) => i.visual_ccc.image_id === image.id)!;
      expect(entry.visual_ccc.object_set_id).toBe(set.id);
      const annotations = coco.annotations.filter((a) => a.image_id === entry.id);
      const objects = storedObjects(set);
      expect(annotations.map((a) => a.visual_ccc.object_id)).toEqual(objects.map((o) => o.label));
      annotations.forEach((annotation, i) => {
        const object = objects[i]!;
        const mask = cocoRleToMask(annotation.segmentation.counts, image.width, image.height);
        expect(annotation.segmentation.size).toEqual([image.height, image.width]);
        const stored = cocoRleToMask(object.rle.counts, image.width, image.height);
        expect(Buffer.from(mask).equals(Buffer.from(stored)), `mask ${object.label}`).toBe(true);
        expect({ area: annotation.area, bbox: annotation.bbox }).toEqual(
          maskAreaAndBox(mask, image.width, image.height),
        );
        expect(annotation.area).toBe(object.area);
        expect(annotation.score).toBe(object.predicted_iou);
        expect(annotation.iscrowd).toBe(0);
        expect(annotation.visual_ccc.px).toMatchObject({
          label: object.label,
          stability_score: object.stability_score,
        });
        expect(annotation.visual_ccc.px).not.toHaveProperty("rle");
      });
      expect(annotations.every((a) => a.visual_ccc.um === null)).toBe(name !== "small");
    }

    // The 8 x 6 grid on the 16 x 12 image: each mask whole, upsampled x2, the overlap in both.
    const { masks, width: gridWidth, height: gridHeight } = scene.grid;
    const upsampled = coco.images.find((i) => i.visual_ccc.image_id === scene.images.upsampled.id)!;
    const annotations = coco.annotations.filter((a) => a.image_id === upsampled.id);
    expect(annotations.map((a) => a.score)).toEqual([0.91, 0.87]);
    const decoded = annotations.map((annotation, i) => {
      const mask = cocoRleToMask(annotation.segmentation.counts, 16, 12);
      const expected = new Uint8Array(16 * 12);
      for (let y = 0; y < 12; y++) {
        for (let x = 0; x < 16; x++) {
          expected[y * 16 + x] =
            masks[i]![Math.floor((y * gridHeight) / 12) * gridWidth + Math.floor((x * gridWidth) / 16)]!;
        }
      }
      expect(mask).toEqual(expected);
      expect(annotation.area).toBe(4 * masks[i]!.reduce((a, b) => a + b, 0));
      return mask;
    });
    // Grid pixel (row 2, col 3) is image pixels (rows 4-5, cols 6-7) in both masks.
    expect([
      decoded[0]![4 * 16 + 6],
      decoded[1]![4 * 16 + 6],
      decoded[0]![5 * 16 + 7],
      decoded[1]![5 * 16 + 7],
    ]).toEqual([1, 1, 1, 1]);
  });
});

describe("the classical objects exports", () => {
  it("are the same bytes with and without objects: classical, and never read SAM 2 sets", async () => {
    const classical = await resolveObjectsSource({ objects: "classical" });
    const csvDefault = await collect(streamObjectsCsv(exportOptions()));
    expect(await collect(streamObjectsCsv(exportOptions(classical)))).toEqual(csvDefault);
    const csv = parseCsv(csvDefault.toString("utf8"));
    expect(csv.header).toEqual([...OBJECTS_CSV_COLUMNS]);
    expect(csv.rows.map((row) => row.object_set_id)).toEqual([scene.classical.id, scene.classical.id]);

    const now = new Date(0);
    const cocoDefault = await collect(streamObjectsCoco({ ...exportOptions(), now }));
    expect(await collect(streamObjectsCoco({ ...exportOptions(classical), now }))).toEqual(cocoDefault);
    const coco = JSON.parse(cocoDefault.toString("utf8")) as CocoDocument;
    expect(coco.info.description).toBe("Visual-CCC objects");
    expect(coco).not.toHaveProperty("visual_ccc");
    expect(coco.images.map((i) => i.visual_ccc.object_set_id)).toEqual([scene.classical.id]);
    expect(coco.annotations.every((a) => !("score" in a))).toBe(true);
  });
});

describe("the export route", () => {
  const get = (kind: string, query: string) =>
    exportsRoute.GET(new Request(`http://localhost/api/projects/${scene.project.id}/exports/${kind}${query}`), {
      params: Promise.resolve({ projectId: scene.project.id, kind }),
    });

  it("takes objects=sam2 with a model and parameters for the objects exports, and refuses what does not fit", async () => {
    signedIn.userId = scene.users.viewer!.id;
    try {
      const response = await get("objects.csv", "?objects=sam2&samModel=probe&pointsPerSide=16");
      expect(response.status).toBe(200);
      const csv = parseCsv(await response.text());
      expect(csv.header.at(-1)).toBe("status");
      expect(new Set(csv.rows.filter((r) => r.status === "ok").map((r) => r.object_set_id))).toEqual(
        new Set([scene.coarse.id]),
      );
      const coco = await get("objects.coco.json", "?objects=sam2");
      expect(coco.status).toBe(200);
      expect(((await coco.json()) as CocoDocument).visual_ccc?.sam_model.name).toBe("probe");

      const classical = await get("objects.csv", "?objects=classical");
      expect(await classical.text()).toBe(await (await get("objects.csv", "")).text());

      for (const [kind, query] of [
        ["objects.csv", "?objects=sam2&samModel=not-installed"],
        ["objects.csv", "?objects=sam2&samModel=../probe"],
        ["objects.csv", "?objects=sam2&pointsPerSide=0"],
        ["objects.csv", "?objects=sam2&predIouThresh="],
        ["objects.csv", "?objects=segment-anything"],
        ["objects.csv", "?pointsPerSide=16"],
        ["results.csv", "?objects=sam2"],
      ] as const) {
        const refused = await get(kind, query);
        expect(refused.status, `${kind}${query}`).toBe(400);
      }
    } finally {
      signedIn.userId = null;
    }
  });
});
