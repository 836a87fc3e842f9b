import type { UncalibratedClassification } from "~/server/analysis/classify-raster";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCommandLine } from "./command-line";

import { mapToBytes } from "~/core/analysis/cam";
import { colorize } from "~/core/analysis/colormaps";
import { encodePng } from "~/server/codecs/encode-png";
import { decideUncertainty } from "~/core/analysis/uncertainty";
import {
  CLASSIFICATION_MODES,
  DEFAULT_ANALYSIS_SETTINGS,
  DEFAULT_UNCERTAINTY_SETTINGS,
  uncertaintySettingsSchema,
} from "~/core/settings/analysis-settings";
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { Raster } from "~/core/analysis/raster";
import { classifyTiledRaster } from "~/server/analysis/classify-framed";
import { tiledAreaInResized } from "~/server/analysis/cam-frame";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { probeImage } from "~/server/codecs/probe-image";
import { findAnalysedArea } from "~/server/images/find-analysed-area";
import { calibrateClassification, loadCalibration } from "~/server/inference/calibration";
import { classifyImages, type ImageInput, type ModelSummary } from "~/server/inference/classify";
import { headFromJson, type LinearHead } from "~/server/inference/linear-head";
import { planeToGreyBytes, resizedWindow } from "~/server/inference/preprocess";
import { providerStatus } from "~/server/inference/providers";
import { retrainedHeadSchema } from "~/server/inference/retrain-head";
import { getModel, releaseModels } from "~/server/inference/session-cache";

/**
 * `npm run cli -- classify <image...> [--model <name|path>] [--head <head.json>] [--classification tiles|centre-crop] [--whole-image] [--json] [--out <dir>]`
 *
 * Prints each image's class and probabilities (a table, or JSON with --json). --classification
 * (default: a new project's, "tiles"): "tiles" classifies the analysed area (the data bar found
 * as at upload left out, unless --whole-image) by tiles at the model's scale; "centre-crop" only
 * the centre 256 x 256 crop, as the reference. With --out, writes `<dir>/<stem>.cam.png`: what the
 * network saw (the crop, or the analysed area) in grey at 50 % under the predicted class's CAM in
 * "jet" at 50 % (docs/reference.md, "Class activation map"). --head uses a retrained head
 * (`retrain --out`) instead of the model's own. Probabilities are calibrated (the model's
 * <model>.calibration.json), and an image is reported "uncertain" (with the reason) below
 * --min-confidence or above --max-ood-score (default: the project defaults, the model's threshold). A file that cannot be read or decoded fails alone:
 * exit code 1 if any did, 2 on bad usage.
 */

const USAGE =
  "usage: npm run cli -- classify <image...> [--model <name|path>] [--head <head.json>] [--classification tiles|centre-crop] [--whole-image] [--json] [--out <dir>] [--batch-size <n>] [--min-confidence <p>] [--max-ood-score <s>]";

/** The CLI reads local files: no upload limits. */
const NO_LIMITS = {
  maxBytes: Number.MAX_SAFE_INTEGER,
  maxPixels: Number.MAX_SAFE_INTEGER,
  maxDecodedBytes: Number.MAX_SAFE_INTEGER,
};

/** The reference display: grey at 50 % opacity under the jet heat map (CAM codes 0..255) at 50 %. */
export function camOverlayRgb(grey: Uint8Array, cam: Uint8Array): Uint8Array {
  const heat = colorize(cam, "jet");
  const rgb = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const g = grey[i] ?? 0;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(0.5 * g + 0.5 * (heat[i * 4 + c] ?? 0));
  }
  return rgb;
}

/** One image's classification (before calibration), what its CAM overlay shows, and in the tiles mode what the tiles covered. */
type ClassifiedEntry =
  | {
      name: string;
      ok: true;
      result: UncalibratedClassification;
      /** What the network saw in grey and the CAM over it, both width x height. */
      overlay?: { grey: Uint8Array; cam: Uint8Array; width: number; height: number };
      tiled?: { tiles: number; analysedArea: AnalysedArea | null };
    }
  | { name: string; ok: false; error: string };

type ClassifyOptions = { modelPath: string; head?: LinearHead; images: ImageInput[]; cam: boolean };

/** The reference: each image's centre 256 x 256 crop, in ONNX Runtime batches. */
async function classifyCentreCrops(
  options: ClassifyOptions & { batchSize: number },
): Promise<{ summary: ModelSummary; entries: ClassifiedEntry[] }> {
  const { model: summary, results } = await classifyImages({
    model: options.modelPath,
    images: options.images,
    head: options.head,
    batchSize: options.batchSize,
    cam: options.cam ? "predicted" : "none",
  });
  const entries = results.map((result): ClassifiedEntry => {
    if (!result.ok) return { name: result.name, ok: false, error: result.error };
    return {
      name: result.name,
      ok: true,
      result,
      ...(result.cam
        ? { overlay: { grey: planeToGreyBytes(result.crop), cam: mapToBytes(result.cam), width: 256, height: 256 } }
        : {}),
    };
  });
  return { summary, entries };
}

/**
 * The tiles mode: each image decoded, its analysed area found as at upload (metadata, else a data
 * bar searched in the pixels; the whole image with `wholeImage`), and classified by tiles.
 */
async function classifyByTiles(
  options: ClassifyOptions & { wholeImage: boolean },
): Promise<{ summary: ModelSummary; entries: ClassifiedEntry[] }> {
  let summary: ModelSummary | undefined;
  const entries: ClassifiedEntry[] = [];
  for (const image of options.images) {
    if (!("bytes" in image)) throw new TypeError("the CLI classifies files");
    const bytes = Buffer.from(image.bytes);
    let raster: Raster;
    let area: AnalysedArea | null = null;
    try {
      raster = await decodeRaster(bytes);
      const found = options.wholeImage
        ? null
        : await findAnalysedArea(bytes, { limits: NO_LIMITS, probe: await probeImage(bytes, NO_LIMITS) });
      area = found && { x: found.x, y: found.y, width: found.width, height: found.height };
    } catch (error) {
      entries.push({ name: image.name, ok: false, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    // Model problems throw, as in the centre-crop mode; only unreadable files fail alone.
    const tiled = await classifyTiledRaster({
      backbonePath: options.modelPath,
      head: options.head,
      raster,
      analysedArea: area,
      cam: options.cam ? "predicted" : "none",
    });
    summary = tiled.model;
    entries.push({
      name: image.name,
      ok: true,
      result: tiled.result,
      tiled: { tiles: tiled.result.tiles.length, analysedArea: area },
      ...(tiled.cam
        ? {
            overlay: {
              grey: planeToGreyBytes(resizedWindow(raster, tiledAreaInResized(area, raster))),
              cam: tiled.cam.data,
              width: tiled.cam.width,
              height: tiled.cam.height,
            },
          }
        : {}),
    });
  }
  // No readable image: the model's summary all the same (loading it runs nothing).
  summary ??= (await classifyImages({ model: options.modelPath, images: [], head: options.head })).model;
  return { summary, entries };
}

async function loadHead(file: string, modelSha256: string): Promise<LinearHead> {
  const parsed = retrainedHeadSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success)
    throw new RangeError(
      `${file} is not a retrained head: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  if (parsed.data.backboneSha256 !== modelSha256) {
    throw new RangeError(
      `${file} was trained on backbone ${parsed.data.backboneSha256.slice(0, 12)}, this model is ${modelSha256.slice(0, 12)}`,
    );
  }
  return headFromJson(parsed.data);
}

export async function run(argv: string[]): Promise<number> {
  const commandLine = parseCommandLine(
    argv,
    {
      model: { type: "string", short: "m" },
      head: { type: "string" },
      json: { type: "boolean" },
      out: { type: "string", short: "o" },
      "batch-size": { type: "string" },
      classification: { type: "string" },
      "whole-image": { type: "boolean" },
      "min-confidence": { type: "string" },
      "max-ood-score": { type: "string" },
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals } = commandLine;
  const batchSize = values["batch-size"] === undefined ? 8 : Number(values["batch-size"]);
  const uncertaintySettings = uncertaintySettingsSchema.safeParse({
    minConfidence: Number(values["min-confidence"] ?? DEFAULT_UNCERTAINTY_SETTINGS.minConfidence),
    maxOodScore:
      values["max-ood-score"] === undefined
        ? DEFAULT_UNCERTAINTY_SETTINGS.maxOodScore
        : Number(values["max-ood-score"]),
  });
  const classification = CLASSIFICATION_MODES.find(
    (mode) => mode === (values.classification ?? DEFAULT_ANALYSIS_SETTINGS.classification),
  );
  if (
    positionals.length === 0 ||
    !Number.isInteger(batchSize) ||
    batchSize < 1 ||
    !uncertaintySettings.success ||
    classification === undefined
  ) {
    console.error(USAGE);
    return 2;
  }
  try {
    const model = await getModel(values.model);
    const head = values.head ? await loadHead(values.head, model.sha256) : undefined;
    const images: ImageInput[] = [];
    const unreadable: { name: string; error: string }[] = [];
    for (const file of positionals) {
      try {
        images.push({ name: file, bytes: await readFile(file) });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        unreadable.push({
          name: file,
          error: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(error),
        });
      }
    }
    const classified =
      classification === "tiles"
        ? await classifyByTiles({
            modelPath: model.path,
            head,
            images,
            cam: Boolean(values.out),
            wholeImage: values["whole-image"] === true,
          })
        : await classifyCentreCrops({ modelPath: model.path, head, images, cam: Boolean(values.out), batchSize });
    const summary = classified.summary;
    const calibration = await loadCalibration(model.path, model.sha256);
    const outDir = values.out ? path.resolve(values.out) : undefined;
    if (outDir) await mkdir(outDir, { recursive: true });
    const used = new Map<string, number>();
    const rows: Record<string, unknown>[] = [];
    for (const entry of classified.entries) {
      if (!entry.ok) {
        rows.push({ file: entry.name, ok: false, error: entry.error });
        continue;
      }
      const { result } = entry;
      const calibrated = calibrateClassification(calibration, result, head === undefined);
      const probabilities = Object.fromEntries(summary.classes.map((c, i) => [c, calibrated.probabilities[i] ?? 0]));
      const decision = decideUncertainty(
        { confidence: calibrated.probabilities[result.classIndex] ?? null, ...calibrated },
        uncertaintySettings.data,
      );
      const row: Record<string, unknown> = {
        file: entry.name,
        ok: true,
        class: result.className,
        probabilities,
        uncertain: decision.uncertain,
        uncertainReason: decision.reason,
        oodScore: calibrated.oodScore,
        temperature: calibrated.temperature,
        classification,
        ...(entry.tiled ? entry.tiled : {}),
      };
      if (outDir && entry.overlay) {
        const stem = path.parse(entry.name).name;
        const seen = (used.get(stem) ?? 0) + 1;
        used.set(stem, seen);
        const camFile = path.join(outDir, `${seen === 1 ? stem : `${stem}-${seen}`}.cam.png`);
        const { grey, cam, width, height } = entry.overlay;
        await writeFile(camFile, await encodePng(camOverlayRgb(grey, cam), width, height, 3));
        row.cam = camFile;
      }
      rows.push(row);
    }
    for (const u of unreadable) rows.push({ file: u.name, ok: false, error: u.error });
    const failures = rows.filter((r) => r.ok === false).length;
    if (values.json) {
      console.log(JSON.stringify({ model: summary, provider: providerStatus(), results: rows }, null, 2));
    } else {
      console.log(`model ${summary.name} ${summary.version} (${summary.sha256.slice(0, 12)}) on ${summary.provider}`);
      for (const row of rows) {
        if (row.ok) {
          const probs = Object.entries(row.probabilities as Record<string, number>)
            .map(([c, p]) => `${c} ${p.toFixed(3)}`)
            .join("  ");
          const verdict = row.uncertain
            ? `uncertain: ${String(row.uncertainReason)} (best guess ${String(row.class)})`
            : String(row.class);
          console.log(`${String(row.file)}: ${verdict}  (${probs})${row.cam ? `  -> ${String(row.cam)}` : ""}`);
        } else {
          console.error(`error: ${String(row.file)}: ${String(row.error)}`);
        }
      }
    }
    return failures > 0 ? 1 : 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await releaseModels();
  }
}
