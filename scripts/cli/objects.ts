import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { forEachInput, outputDirs, parseInputsCommandLine, usageError } from "./command-line";
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import type { GreyImage } from "~/core/analysis/raster";
import { MAX_MEASURED_OBJECTS, measureObjects, type ObjectMeasurements } from "~/core/objects/measure-objects";
import type { ObjectSegmentation, ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { regionPropsInParallel, segmentObjectsInParallel } from "~/server/objects/parallel-segmentation";
import { assertPixelSize, readableLength, unitSuffix, type LengthUnit, type PixelSize } from "~/core/objects/units";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { probeImage } from "~/server/codecs/probe-image";
import { csvRow } from "~/server/exports/csv-cell";
import { sam2AmgParamsSchema, type Sam2AmgParams } from "~/core/sam2/amg-params";
import { releaseModels } from "~/server/inference/session-cache";
import { SAM2_OBJECT_CSV_COLUMNS } from "~/server/objects/sam2-object-columns";
import { descriptorJson } from "./descriptor-json";
import { cliSam2Model, sam2Objects, sam2ResultJson } from "./objects-sam2";

/**
 * `npm run cli -- objects <image...> --out <dir> [options]`
 *
 * Segments the particles of each image (segmentObjects) and measures them (measureObjects), then
 * writes `<dir>/<stem>/labels.png` (16-bit grey instance labels, 0 = background), `objects.csv`
 * (one row per object, in px and, with a pixel size, in its unit) and `result.json`.
 * The pixel size comes from --pixel-size, else from the file's tags (FEI / Zeiss / ImageJ /
 * resolution, see src/server/codecs/pixel-size.ts), else none. With --width the image is first
 * area-resampled to that width and the pixel size scaled to match.
 * A bad input prints one line naming the file and the other images are still processed; the exit
 * code is 1 if any image failed, 2 on bad usage.
 */

const USAGE = [
  "usage: npm run cli -- objects <image...> --out <dir> [--pixel-size <value><unit>] [--invert auto|yes|no]",
  "         [--no-split] [--h <n>] [--min-area <px>] [--exclude-border] [--q <n>] [--width <px>] [--skeleton] [--json]",
  "  --pixel-size   side of one pixel, e.g. 2.5nm, 0.1um, 0.1µm, 0.001mm (default: from the file's tags)",
  "  --invert       auto: objects are the minority phase; no: bright objects; yes: dark objects",
  "  --no-split     do not split touching objects (connected components only)",
  "  --h            h-maxima height of the distance map, px (default 1)",
  "  --min-area     smallest object kept, px (default 4)",
  "  --exclude-border  drop objects that touch the image border",
  "  --q            slices per side of the index of dispersion (default 4)",
  "  --width        resize to this width first (area resampling); default: full resolution",
  "  --skeleton     add skeleton branch statistics per object",
  "  --json         print one JSON summary line per image on stdout",
  "SAM 2 (an installed model, models/sam2/README.md): --method sam2 [--sam-model <name or folder>]",
  "         [--points-per-side 32] [--pred-iou-thresh 0.8] [--stability-score-thresh 0.95] [--box-nms-thresh 0.7]",
  "  --method       classical (threshold + watershed, default) or sam2 (automatic mask generation)",
  "  --sam-model    an installed model's name, or a folder with encoder.onnx and decoder.onnx (default: the first installed)",
  "  labels.png shows the higher-scoring mask where masks overlap; result.json keeps every mask whole",
  "  (bbox [x, y, w, h] as SAM 2 writes it, predictedIou, stabilityScore, point, COCO RLE)",
].join("\n");

/** Largest label a 16-bit PNG can hold. */
const MAX_PNG_LABEL = 65_535;

/** One object of result.json, px (plus `physical` in the pixel size's unit when known). */
export type ObjectJson = {
  id: number;
  area: number;
  perimeter: number;
  equivalentDiameter: number;
  majorAxis: number;
  minorAxis: number;
  eccentricity: number;
  solidity: number | null;
  feretMax: number | null;
  circularity: number | null;
  aspectRatio: number | null;
  orientation: number;
  extent: number;
  areaConvex: number | null;
  centroid: [number, number];
  bbox: [number, number, number, number];
  skeleton?: { branchCount: number; junctionCount: number; totalLength: number; longestBranch: number };
  physical?: Record<string, unknown>;
};

/** result.json. */
export type ObjectsResultJson = {
  width: number;
  height: number;
  pixelSize: PixelSize | null;
  count: number;
  coverage: number;
  indexOfDispersion: { q: number; max: number | null; curve: Record<string, number | null> } | null;
  objects: ObjectJson[];
  timingsMs: Record<string, number>;
};

const UNIT_ALIASES: Record<string, LengthUnit> = { nm: "nm", um: "µm", µm: "µm", μm: "µm", micron: "µm", mm: "mm" };

/** Parses "2.5nm", "0.1 um", "0.1µm"; throws RangeError with a message for the user. */
export function parsePixelSize(text: string): PixelSize {
  const match = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-zµμ]+)\s*$/i.exec(text);
  if (!match) {
    throw new RangeError(`--pixel-size must be a number followed by nm, um (µm) or mm, e.g. 2.5nm; got "${text}"`);
  }
  const value = Number(match[1]);
  const unit = UNIT_ALIASES[match[2]!.toLowerCase()];
  if (unit === undefined) {
    throw new RangeError(`--pixel-size unit must be nm, um (µm) or mm, got "${match[2]}"`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`--pixel-size must be a finite number > 0, got "${text}"`);
  }
  const pixelSize = { value, unit };
  assertPixelSize(pixelSize);
  return pixelSize;
}

function parseNumberArg(name: string, value: string, integer: boolean, min: number): number {
  const ok = integer ? /^\d+$/.test(value) : /^(?:\d+\.?\d*|\.\d+)$/.test(value);
  const n = Number(value);
  if (!ok || !Number.isFinite(n) || n < min || (name === "h" && n === 0)) {
    const what = integer ? `an integer >= ${min}` : name === "h" ? "a number > 0" : `a number >= ${min}`;
    throw new RangeError(`--${name} must be ${what}, got "${value}"`);
  }
  return n;
}

function toObjectJson(m: ObjectMeasurements, index: number): ObjectJson {
  const o = m.objects[index]!;
  const out: ObjectJson = { ...descriptorJson(o), areaConvex: o.area_convex, bbox: o.bbox };
  if (o.skeleton) out.skeleton = o.skeleton;
  const physical = m.physicalObjects?.[index];
  if (physical) {
    const rest: Record<string, unknown> = { ...physical };
    delete rest.label;
    delete rest.bbox;
    out.physical = rest;
  }
  return out;
}

type MeasuredObject = ObjectMeasurements["objects"][number];

/**
 * The columns of objects.csv in px, in order: name, dimension (1: a length, 2: an area, 0: not
 * converted) and value. With a pixel size, every length and area is written again in its unit
 * (`<name>_<unit>`, `<name>_<unit>2`), in the same order, after the px columns.
 */
const CSV_COLUMNS: [name: string, dimension: 0 | 1 | 2, get: (o: MeasuredObject) => number | null][] = [
  ["id", 0, (o) => o.label],
  ["area", 2, (o) => o.area],
  ["perimeter", 1, (o) => o.perimeter],
  ["equivalent_diameter", 1, (o) => o.equivalent_diameter],
  ["major_axis", 1, (o) => o.axis_major_length],
  ["minor_axis", 1, (o) => o.axis_minor_length],
  ["feret_max", 1, (o) => o.feret_diameter_max],
  ["area_convex", 2, (o) => o.area_convex],
  ["centroid_row", 1, (o) => o.centroid[0]],
  ["centroid_col", 1, (o) => o.centroid[1]],
  ["bbox_min_row", 0, (o) => o.bbox[0]],
  ["bbox_min_col", 0, (o) => o.bbox[1]],
  ["bbox_max_row", 0, (o) => o.bbox[2]],
  ["bbox_max_col", 0, (o) => o.bbox[3]],
  ["eccentricity", 0, (o) => o.eccentricity],
  ["orientation_rad", 0, (o) => o.orientation],
  ["solidity", 0, (o) => o.solidity],
  ["extent", 0, (o) => o.extent],
  ["circularity", 0, (o) => o.circularity],
  ["aspect_ratio", 0, (o) => o.aspect_ratio],
];

/** The skeleton columns, after the others, when the objects carry skeleton statistics. */
const SKELETON_CSV_COLUMNS: typeof CSV_COLUMNS = [
  ["skeleton_branch_count", 0, (o) => o.skeleton!.branchCount],
  ["skeleton_junction_count", 0, (o) => o.skeleton!.junctionCount],
  ["skeleton_total_length", 1, (o) => o.skeleton!.totalLength],
  ["skeleton_longest_branch", 1, (o) => o.skeleton!.longestBranch],
];

/** A column written after the others: name and value of object i. */
export type ExtraCsvColumn = [name: string, get: (i: number) => number | null];

/** objects.csv: header and one row per object (`extra` columns last: SAM 2's scores). */
export function objectsCsv(m: Pick<ObjectMeasurements, "objects" | "pixelSize">, extra: ExtraCsvColumn[] = []): string {
  const skeleton = m.objects.length > 0 && m.objects[0]!.skeleton !== undefined;
  const chosen = skeleton ? [...CSV_COLUMNS, ...SKELETON_CSV_COLUMNS] : CSV_COLUMNS;
  const columns: [string, (i: number) => number | null][] = chosen.map(([name, dimension, get]) => [
    dimension === 0 ? name : `${name}_px`,
    (i) => get(m.objects[i]!),
  ]);
  if (m.pixelSize !== null) {
    const s = unitSuffix(m.pixelSize.unit);
    const k = m.pixelSize.value;
    for (const [name, dimension, get] of chosen) {
      if (dimension === 0) continue;
      columns.push([
        dimension === 1 ? `${name}_${s}` : `${name}_${s}2`,
        (i) => {
          const v = get(m.objects[i]!);
          return v === null ? null : dimension === 1 ? v * k : v * k * k;
        },
      ]);
    }
  }
  columns.push(...extra);
  const lines = [csvRow(columns.map(([name]) => name))];
  for (let i = 0; i < m.objects.length; i++) lines.push(csvRow(columns.map(([, get]) => get(i))));
  return lines.join("");
}

/** labels.png: 16-bit grey PNG of the label map; throws RangeError above 65535 objects. */
export async function encodeLabelsPng(
  labels: Int32Array,
  width: number,
  height: number,
  count: number,
): Promise<Buffer> {
  if (count > MAX_PNG_LABEL) {
    throw new RangeError(`${count} objects do not fit a 16-bit labels.png (at most ${MAX_PNG_LABEL})`);
  }
  const data = new Uint16Array(labels.length);
  for (let i = 0; i < labels.length; i++) data[i] = labels[i]!;
  // A Uint16Array input makes sharp read the raw samples as 16-bit ("ushort").
  return sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace("grey16")
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export function toResultJson(
  segmentation: ObjectSegmentation,
  m: ObjectMeasurements,
  timingsMs: Record<string, number>,
): ObjectsResultJson {
  const dispersion = m.indexOfDispersion;
  return {
    width: segmentation.width,
    height: segmentation.height,
    pixelSize: m.pixelSize,
    count: m.count,
    coverage: m.stats.coverage,
    indexOfDispersion: dispersion === null ? null : { q: dispersion.q, max: dispersion.max, curve: dispersion.curve },
    objects: m.objects.map((_, i) => toObjectJson(m, i)),
    timingsMs,
  };
}

/** Pixel size of the file from its tags (µm, re-expressed in nm / µm / mm as reads best), or null. */
async function pixelSizeFromTags(bytes: Buffer): Promise<PixelSize | null> {
  try {
    const probe = await probeImage(bytes, { maxBytes: Number.MAX_SAFE_INTEGER, maxPixels: Number.MAX_SAFE_INTEGER });
    if (probe.pixelSizeUm === null || !(probe.pixelSizeUm > 0)) return null;
    return readableLength(probe.pixelSizeUm, "µm");
  } catch {
    return null; // decodeRaster reports unreadable files
  }
}

type Options = {
  params: Partial<ObjectSegmentationParams>;
  pixelSize: PixelSize | null | undefined;
  q: number;
  width: number | undefined;
  skeleton: boolean;
};

async function processImage(file: string, options: Options) {
  const started = performance.now();
  const bytes = await readFile(file);
  const raster = await decodeRaster(bytes);
  const decodeMs = performance.now() - started;
  let pixelSize = options.pixelSize === undefined ? await pixelSizeFromTags(bytes) : options.pixelSize;
  let mark = performance.now();
  const grey: GreyImage = toAnalysisImage(raster, {
    width: options.width ?? raster.width,
    maxPixels: 0x3fff * 0x3fff,
  });
  if (pixelSize !== null && grey.width !== raster.width) {
    // Area resampling: one new pixel spans raster.width / grey.width old ones horizontally.
    pixelSize = { value: (pixelSize.value * raster.width) / grey.width, unit: pixelSize.unit };
  }
  const greyMs = performance.now() - mark;
  const segmentation = await segmentObjectsInParallel(grey, options.params);
  const props =
    segmentation.count <= MAX_MEASURED_OBJECTS
      ? await regionPropsInParallel(segmentation.labels, grey.width, grey.height)
      : undefined;
  const measurements = measureObjects(segmentation.labels, grey, {
    props,
    q: options.q,
    pixelSize,
    skeleton: options.skeleton,
  });
  mark = performance.now();
  const timingsMs: Record<string, number> = {
    decode: decodeMs,
    grey: greyMs,
    segment: segmentation.timingsMs.total ?? 0,
    measure: measurements.timingsMs.total ?? 0,
  };
  return { segmentation, measurements, timingsMs, started, mark };
}

export async function run(argv: string[]): Promise<number> {
  const commandLine = parseInputsCommandLine(
    argv,
    {
      "pixel-size": { type: "string" },
      invert: { type: "string" },
      "no-split": { type: "boolean" },
      h: { type: "string" },
      "min-area": { type: "string" },
      "exclude-border": { type: "boolean" },
      q: { type: "string" },
      width: { type: "string" },
      skeleton: { type: "boolean" },
      json: { type: "boolean" },
      method: { type: "string" },
      "sam-model": { type: "string" },
      "points-per-side": { type: "string" },
      "pred-iou-thresh": { type: "string" },
      "stability-score-thresh": { type: "string" },
      "box-nms-thresh": { type: "string" },
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals, out } = commandLine;
  const method = values.method ?? "classical";
  if (method !== "classical" && method !== "sam2") {
    return usageError(new RangeError(`--method must be classical or sam2, got "${method}"`), USAGE);
  }
  if (method === "sam2") return runSam2(values, positionals, out);
  const samOnly = SAM2_OPTIONS.filter((name) => values[name] !== undefined);
  if (samOnly.length > 0) {
    return usageError(new RangeError(`--${samOnly.join(", --")} only go with --method sam2`), USAGE);
  }
  let options: Options;
  try {
    const params: Partial<ObjectSegmentationParams> = {};
    const invert = values.invert ?? "auto";
    if (invert === "auto") params.polarity = "auto";
    else if (invert === "no") params.polarity = "bright";
    else if (invert === "yes") params.polarity = "dark";
    else throw new RangeError(`--invert must be auto, yes or no, got "${invert}"`);
    if (values["no-split"] === true) params.split = false;
    if (values["exclude-border"] === true) params.excludeBorder = true;
    if (values.h !== undefined) params.h = parseNumberArg("h", values.h, false, 0);
    if (values["min-area"] !== undefined) params.minArea = parseNumberArg("min-area", values["min-area"], true, 0);
    options = {
      params,
      pixelSize: values["pixel-size"] === undefined ? undefined : parsePixelSize(values["pixel-size"]),
      q: values.q === undefined ? 4 : parseNumberArg("q", values.q, true, 2),
      width: values.width === undefined ? undefined : parseNumberArg("width", values.width, true, 1),
      skeleton: values.skeleton === true,
    };
  } catch (error) {
    return usageError(error, USAGE);
  }

  const outputDir = outputDirs(path.resolve(out));
  return forEachInput(positionals, async (file) => {
    const { segmentation, measurements, timingsMs, started, mark } = await processImage(file, options);
    const dir = outputDir(file);
    const { width, height } = segmentation;
    const png = await encodeLabelsPng(segmentation.labels, width, height, segmentation.count);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "labels.png"), png);
    await writeFile(path.join(dir, "objects.csv"), objectsCsv(measurements));
    timingsMs.write = performance.now() - mark;
    timingsMs.total = performance.now() - started;
    const json = toResultJson(segmentation, measurements, timingsMs);
    await writeFile(path.join(dir, "result.json"), `${JSON.stringify(json, null, 2)}\n`);
    if (values.json === true) {
      console.log(
        JSON.stringify({
          file,
          dir,
          width,
          height,
          count: measurements.count,
          threshold: segmentation.threshold,
          polarity: segmentation.polarity,
          params: segmentation.params,
          pixelSize: measurements.pixelSize,
          stats: measurements.stats,
          physicalStats: measurements.physicalStats,
          boxCountingDimension: measurements.boxCounting.dimension,
          indexOfDispersion: measurements.indexOfDispersion,
          timingsMs,
        }),
      );
    } else {
      const size = measurements.pixelSize
        ? `, pixel ${measurements.pixelSize.value} ${measurements.pixelSize.unit}`
        : "";
      console.log(
        `${file} -> ${dir} (${measurements.count} objects, threshold ${segmentation.threshold} ` +
          `${segmentation.polarity}${size}, ${timingsMs.total.toFixed(1)} ms)`,
      );
    }
  });
}

const SAM2_OPTIONS = [
  "sam-model",
  "points-per-side",
  "pred-iou-thresh",
  "stability-score-thresh",
  "box-nms-thresh",
] as const;
const CLASSICAL_OPTIONS = ["invert", "no-split", "h", "min-area", "exclude-border", "skeleton"] as const;

type Sam2Values = Partial<Record<(typeof SAM2_OPTIONS)[number] | "pixel-size" | "q" | "width", string>> &
  Partial<Record<(typeof CLASSICAL_OPTIONS)[number], string | boolean>> & { json?: boolean };

/** `--method sam2`: the automatic mask generator (objects-sam2.ts), written with the same writers. */
async function runSam2(values: Sam2Values, positionals: string[], out: string): Promise<number> {
  let params: Partial<Sam2AmgParams>;
  let common: { pixelSize: PixelSize | undefined; q: number; width: number | undefined };
  try {
    const classical = CLASSICAL_OPTIONS.filter((name) => values[name] !== undefined);
    if (classical.length > 0) throw new RangeError(`--${classical.join(", --")} do not apply to --method sam2`);
    const given: Record<string, number> = {};
    const numeric = [
      ["points-per-side", "pointsPerSide", true],
      ["pred-iou-thresh", "predIouThresh", false],
      ["stability-score-thresh", "stabilityScoreThresh", false],
      ["box-nms-thresh", "boxNmsThresh", false],
    ] as const;
    for (const [flag, field, integer] of numeric) {
      const text = values[flag];
      if (text !== undefined) given[field] = parseNumberArg(flag, text, integer, integer ? 1 : 0);
    }
    const parsed = sam2AmgParamsSchema.partial().safeParse(given);
    if (!parsed.success) {
      const flagOf = (field: unknown) => numeric.find(([, name]) => name === field)?.[0] ?? String(field);
      throw new RangeError(parsed.error.issues.map((i) => `--${flagOf(i.path[0])}: ${i.message}`).join("; "));
    }
    params = parsed.data;
    common = {
      pixelSize: values["pixel-size"] === undefined ? undefined : parsePixelSize(values["pixel-size"]),
      q: values.q === undefined ? 4 : parseNumberArg("q", values.q, true, 2),
      width: values.width === undefined ? undefined : parseNumberArg("width", values.width, true, 1),
    };
  } catch (error) {
    return usageError(error, USAGE);
  }
  let model;
  try {
    model = await cliSam2Model(values["sam-model"]);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const outputDir = outputDirs(path.resolve(out));
  try {
    return await forEachInput(positionals, async (file) => {
      const started = performance.now();
      const bytes = await readFile(file);
      const raster = await decodeRaster(bytes);
      const decodeMs = performance.now() - started;
      let pixelSize = common.pixelSize === undefined ? await pixelSizeFromTags(bytes) : common.pixelSize;
      const result = await sam2Objects(raster, { model, params, width: common.width, q: common.q });
      if (pixelSize !== null && result.width !== raster.width) {
        pixelSize = { value: (pixelSize.value * raster.width) / result.width, unit: pixelSize.unit };
      }
      const mark = performance.now();
      const dir = outputDir(file);
      await mkdir(dir, { recursive: true });
      const png = await encodeLabelsPng(result.labels, result.width, result.height, result.objects.length);
      await writeFile(path.join(dir, "labels.png"), png);
      const csv = objectsCsv(
        { objects: result.objects, pixelSize },
        SAM2_OBJECT_CSV_COLUMNS.map(([name, get]): ExtraCsvColumn => [name, (i) => get(result.objects[i]!)]),
      );
      await writeFile(path.join(dir, "objects.csv"), csv);
      const timingsMs: Record<string, number> = {
        decode: decodeMs,
        ...result.timingsMs,
        write: performance.now() - mark,
      };
      timingsMs.total = performance.now() - started;
      const json = sam2ResultJson({ ...result, timingsMs }, { model, params, pixelSize });
      await writeFile(path.join(dir, "result.json"), `${JSON.stringify(json, null, 2)}\n`);
      if (values.json === true) {
        const { objects: _objects, ...summary } = json;
        console.log(JSON.stringify({ file, dir, ...summary }));
      } else {
        console.log(
          `${file} -> ${dir} (${json.count} SAM 2 masks with ${model.card.name}, ` +
            `${timingsMs.total.toFixed(0)} ms of which decoder ${(timingsMs.decoder ?? 0).toFixed(0)} ms)`,
        );
      }
    });
  } finally {
    await releaseModels();
  }
}
