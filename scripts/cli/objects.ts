import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { parseCommandLine } from "./command-line";
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import type { GreyImage } from "~/core/analysis/raster";
import { measureObjects, type ObjectMeasurements } from "~/core/objects/measure-objects";
import { segmentObjects, type ObjectSegmentation, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { assertPixelSize, readableLength, unitSuffix, type LengthUnit, type PixelSize } from "~/core/objects/units";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { probeImage } from "~/server/codecs/probe-image";
import { csvRow } from "~/server/exports/csv-cell";

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
].join("\n");

/** Largest label a 16-bit PNG can hold. */
const MAX_PNG_LABEL = 65_535;

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
  const out: ObjectJson = {
    id: o.label,
    area: o.area,
    perimeter: o.perimeter,
    equivalentDiameter: o.equivalent_diameter,
    majorAxis: o.axis_major_length,
    minorAxis: o.axis_minor_length,
    eccentricity: o.eccentricity,
    solidity: o.solidity,
    feretMax: o.feret_diameter_max,
    circularity: o.circularity,
    aspectRatio: o.aspect_ratio,
    orientation: o.orientation,
    extent: o.extent,
    areaConvex: o.area_convex,
    centroid: o.centroid,
    bbox: o.bbox,
  };
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

/** objects.csv: header and one row per object. */
export function objectsCsv(m: ObjectMeasurements): string {
  const px: [string, (i: number) => number | null][] = [
    ["id", (i) => m.objects[i]!.label],
    ["area_px", (i) => m.objects[i]!.area],
    ["perimeter_px", (i) => m.objects[i]!.perimeter],
    ["equivalent_diameter_px", (i) => m.objects[i]!.equivalent_diameter],
    ["major_axis_px", (i) => m.objects[i]!.axis_major_length],
    ["minor_axis_px", (i) => m.objects[i]!.axis_minor_length],
    ["feret_max_px", (i) => m.objects[i]!.feret_diameter_max],
    ["area_convex_px", (i) => m.objects[i]!.area_convex],
    ["centroid_row_px", (i) => m.objects[i]!.centroid[0]],
    ["centroid_col_px", (i) => m.objects[i]!.centroid[1]],
    ["bbox_min_row", (i) => m.objects[i]!.bbox[0]],
    ["bbox_min_col", (i) => m.objects[i]!.bbox[1]],
    ["bbox_max_row", (i) => m.objects[i]!.bbox[2]],
    ["bbox_max_col", (i) => m.objects[i]!.bbox[3]],
    ["eccentricity", (i) => m.objects[i]!.eccentricity],
    ["orientation_rad", (i) => m.objects[i]!.orientation],
    ["solidity", (i) => m.objects[i]!.solidity],
    ["extent", (i) => m.objects[i]!.extent],
    ["circularity", (i) => m.objects[i]!.circularity],
    ["aspect_ratio", (i) => m.objects[i]!.aspect_ratio],
  ];
  const skeleton = m.objects.length > 0 && m.objects[0]!.skeleton !== undefined;
  if (skeleton) {
    px.push(
      ["skeleton_branch_count", (i) => m.objects[i]!.skeleton!.branchCount],
      ["skeleton_junction_count", (i) => m.objects[i]!.skeleton!.junctionCount],
      ["skeleton_total_length_px", (i) => m.objects[i]!.skeleton!.totalLength],
      ["skeleton_longest_branch_px", (i) => m.objects[i]!.skeleton!.longestBranch],
    );
  }
  const columns = [...px];
  if (m.pixelSize !== null) {
    const s = unitSuffix(m.pixelSize.unit);
    const k = m.pixelSize.value;
    const length = (name: string, get: (i: number) => number | null): [string, (i: number) => number | null] => [
      `${name}_${s}`,
      (i) => {
        const v = get(i);
        return v === null ? null : v * k;
      },
    ];
    const area = (name: string, get: (i: number) => number | null): [string, (i: number) => number | null] => [
      `${name}_${s}2`,
      (i) => {
        const v = get(i);
        return v === null ? null : v * k * k;
      },
    ];
    columns.push(
      area("area", (i) => m.objects[i]!.area),
      length("perimeter", (i) => m.objects[i]!.perimeter),
      length("equivalent_diameter", (i) => m.objects[i]!.equivalent_diameter),
      length("major_axis", (i) => m.objects[i]!.axis_major_length),
      length("minor_axis", (i) => m.objects[i]!.axis_minor_length),
      length("feret_max", (i) => m.objects[i]!.feret_diameter_max),
      area("area_convex", (i) => m.objects[i]!.area_convex),
      length("centroid_row", (i) => m.objects[i]!.centroid[0]),
      length("centroid_col", (i) => m.objects[i]!.centroid[1]),
    );
    if (skeleton) {
      columns.push(
        length("skeleton_total_length", (i) => m.objects[i]!.skeleton!.totalLength),
        length("skeleton_longest_branch", (i) => m.objects[i]!.skeleton!.longestBranch),
      );
    }
  }
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
  const segmentation = segmentObjects(grey, options.params);
  const measurements = measureObjects(segmentation.labels, grey, grey.width, grey.height, {
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
  const commandLine = parseCommandLine(
    argv,
    {
      out: { type: "string", short: "o" },
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
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals } = commandLine;
  if (!values.out || positionals.length === 0) {
    console.error(USAGE);
    return 2;
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
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }

  const outRoot = path.resolve(values.out);
  const usedStems = new Map<string, number>();
  let failures = 0;
  for (const file of positionals) {
    try {
      const { segmentation, measurements, timingsMs, started, mark } = await processImage(file, options);
      const base = path.parse(file).name;
      const seen = (usedStems.get(base) ?? 0) + 1;
      usedStems.set(base, seen);
      const dir = path.join(outRoot, seen === 1 ? base : `${base}-${seen}`);
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
    } catch (error) {
      failures++;
      const code = (error as { code?: unknown }).code;
      const message =
        code === "ENOENT"
          ? "no such file"
          : code === "EISDIR"
            ? "is a directory"
            : error instanceof Error
              ? error.message
              : String(error);
      console.error(`error: ${file}: ${message}`);
    }
  }
  return failures > 0 ? 1 : 0;
}
