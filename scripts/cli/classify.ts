import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCommandLine } from "./command-line";

import { mapToBytes } from "~/core/analysis/cam";
import { colorize } from "~/core/analysis/colormaps";
import { encodePng } from "~/server/codecs/encode-png";
import { decideUncertainty } from "~/core/analysis/uncertainty";
import { DEFAULT_UNCERTAINTY_SETTINGS, uncertaintySettingsSchema } from "~/core/settings/analysis-settings";
import { calibrateClassification, loadCalibration } from "~/server/inference/calibration";
import { classifyImages, type ImageInput } from "~/server/inference/classify";
import { headFromJson, type LinearHead } from "~/server/inference/linear-head";
import { planeToGreyBytes } from "~/server/inference/preprocess";
import { providerStatus } from "~/server/inference/providers";
import { retrainedHeadSchema } from "~/server/inference/retrain-head";
import { getModel, releaseModels } from "~/server/inference/session-cache";

/**
 * `npm run cli -- classify <image...> [--model <name|path>] [--head <head.json>] [--json] [--out <dir>]`
 *
 * Prints each image's class and probabilities (a table, or JSON with --json). With --out, writes
 * `<dir>/<stem>.cam.png`: the 256 x 256 display crop at 50 % under the predicted class's CAM in
 * "jet" at 50 % (docs/reference.md, "Class activation map"). --head uses a retrained head
 * (`retrain --out`) instead of the model's own. Probabilities are calibrated (the model's
 * <model>.calibration.json), and an image is reported "uncertain" (with the reason) below
 * --min-confidence or above --max-ood-score (default: the project defaults, the model's threshold). A file that cannot be read or decoded fails alone:
 * exit code 1 if any did, 2 on bad usage.
 */

const USAGE =
  "usage: npm run cli -- classify <image...> [--model <name|path>] [--head <head.json>] [--json] [--out <dir>] [--batch-size <n>] [--min-confidence <p>] [--max-ood-score <s>]";

/** The reference display: grey at 50 % opacity under the jet heat map at 50 %. */
export function camOverlayRgb(grey: Uint8Array, cam: Float32Array): Uint8Array {
  const heat = colorize(mapToBytes(cam), "jet");
  const rgb = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const g = grey[i] ?? 0;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(0.5 * g + 0.5 * (heat[i * 4 + c] ?? 0));
  }
  return rgb;
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
  if (positionals.length === 0 || !Number.isInteger(batchSize) || batchSize < 1 || !uncertaintySettings.success) {
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
    const { model: summary, results } = await classifyImages({
      model: model.path,
      images,
      head,
      batchSize,
      cam: values.out ? "predicted" : "none",
    });
    const calibration = await loadCalibration(model.path, model.sha256);
    const outDir = values.out ? path.resolve(values.out) : undefined;
    if (outDir) await mkdir(outDir, { recursive: true });
    const used = new Map<string, number>();
    const rows: Record<string, unknown>[] = [];
    for (const result of results) {
      if (!result.ok) {
        rows.push({ file: result.name, ok: false, error: result.error });
        continue;
      }
      const calibrated = calibrateClassification(calibration, result, head === undefined);
      const probabilities = Object.fromEntries(summary.classes.map((c, i) => [c, calibrated.probabilities[i] ?? 0]));
      const decision = decideUncertainty(
        { confidence: calibrated.probabilities[result.classIndex] ?? null, ...calibrated },
        uncertaintySettings.data,
      );
      const row: Record<string, unknown> = {
        file: result.name,
        ok: true,
        class: result.className,
        probabilities,
        uncertain: decision.uncertain,
        uncertainReason: decision.reason,
        oodScore: calibrated.oodScore,
        temperature: calibrated.temperature,
      };
      if (outDir && result.cam) {
        const stem = path.parse(result.name).name;
        const seen = (used.get(stem) ?? 0) + 1;
        used.set(stem, seen);
        const camFile = path.join(outDir, `${seen === 1 ? stem : `${stem}-${seen}`}.cam.png`);
        await writeFile(
          camFile,
          await encodePng(camOverlayRgb(planeToGreyBytes(result.crop), result.cam), 256, 256, 3),
        );
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
