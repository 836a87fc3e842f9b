import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCommandLine } from "./command-line";
import { parseCsvRecords } from "./csv-records";

import { z } from "zod";

import { DirectoryFeatureCache } from "~/server/inference/feature-cache";
import { FEATURE_SETS, type FeatureSet, featureSetSchema } from "~/server/inference/feature-set-head";
import { type LabelledImage, retrainHead, type RetrainHeadResult } from "~/server/inference/retrain-head";
import { releaseModels } from "~/server/inference/session-cache";

/**
 * `npm run cli -- retrain --labels <csv: file,label[,group]> [--features cnn|descriptors|both]
 *    [--compare] [--folds k] [--out <dir>] [--json] [--model <name|path>] [--cache-dir <dir>] [--l2 <x>]`
 *
 * Trains a new softmax head on the labelled images' pooled CNN features, measured descriptors
 * (core/descriptors) or both (cached in --cache-dir, default data/feature-cache) and reports
 * cross-validated metrics: leave-one-group-out when the CSV's groups put several images in one
 * group, else grouped 5-fold; --folds k forces grouped k-fold. Features are standardised inside
 * each fold. --compare trains all three feature sets and prints one table.
 * Paths in the CSV are relative to the CSV. A header row "file,label[,group]" is optional. Images
 * in one group (tiles of one micrograph) never straddle folds. --out writes head.json (the new
 * head, usable with `classify --head` for "cnn" heads) and metrics.json.
 */

const USAGE =
  "usage: npm run cli -- retrain --labels <csv: file,label[,group]> [--features cnn|descriptors|both] [--compare] [--folds k] [--out <dir>] [--json] [--model <name|path>] [--cache-dir <dir>] [--l2 <x>]";

export const labelRowSchema = z.object({
  file: z.string().min(1, "empty file name"),
  label: z.string().min(1, "empty label"),
  group: z.string().min(1).optional(),
});
export type LabelRow = z.infer<typeof labelRowSchema>;

/** Splits one CSV line into trimmed fields (double quotes may wrap fields; "" inside quotes is a quote). */
function splitCsvLine(line: string): string[] {
  const fields = parseCsvRecords(line, { lineBreaks: false })[0] ?? [""];
  return fields.map((field) => field.trim());
}

/** Parses the labels CSV; throws with the line number of the first bad row. */
export function parseLabelsCsv(text: string): LabelRow[] {
  const rows: LabelRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const fields = splitCsvLine(line);
    if (index === 0 && fields[0]?.toLowerCase() === "file" && fields[1]?.toLowerCase() === "label") return;
    if (fields.length < 2 || fields.length > 3)
      throw new RangeError(`labels CSV line ${index + 1}: expected file,label[,group], got ${fields.length} fields`);
    const parsed = labelRowSchema.safeParse({
      file: fields[0],
      label: fields[1],
      group: fields[2] || undefined,
    });
    if (!parsed.success)
      throw new RangeError(`labels CSV line ${index + 1}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    rows.push(parsed.data);
  });
  if (rows.length === 0) throw new RangeError("labels CSV has no rows");
  return rows;
}

export async function run(argv: string[]): Promise<number> {
  const commandLine = parseCommandLine(
    argv,
    {
      labels: { type: "string" },
      folds: { type: "string" },
      out: { type: "string", short: "o" },
      json: { type: "boolean" },
      model: { type: "string", short: "m" },
      "cache-dir": { type: "string" },
      l2: { type: "string" },
      features: { type: "string" },
      compare: { type: "boolean" },
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals } = commandLine;
  const folds = values.folds === undefined ? undefined : Number(values.folds);
  const l2 = values.l2 === undefined ? undefined : Number(values.l2);
  const features = featureSetSchema.safeParse(values.features ?? "cnn");
  if (
    positionals.length > 0 ||
    !values.labels ||
    !features.success ||
    (folds !== undefined && (!Number.isInteger(folds) || folds < 2)) ||
    (l2 !== undefined && !(l2 >= 0))
  ) {
    console.error(USAGE);
    return 2;
  }
  try {
    const started = performance.now();
    const csvPath = path.resolve(values.labels);
    const rows = parseLabelsCsv(await readFile(csvPath, "utf8"));
    const images: LabelledImage[] = [];
    const unreadable: { name: string; error: string }[] = [];
    for (const row of rows) {
      const file = path.resolve(path.dirname(csvPath), row.file);
      try {
        images.push({ name: row.file, bytes: await readFile(file), label: row.label, group: row.group });
      } catch {
        unreadable.push({ name: row.file, error: "cannot read file" });
      }
    }
    const cache = new DirectoryFeatureCache(path.resolve(values["cache-dir"] ?? path.join("data", "feature-cache")));
    if (values.compare) {
      const rows: { features: FeatureSet; result: RetrainHeadResult }[] = [];
      for (const set of FEATURE_SETS)
        rows.push({
          features: set,
          result: await retrainHead({ model: values.model, images, featureCache: cache, folds, l2, features: set }),
        });
      printComparison(rows, values.json === true);
      return 0;
    }
    const result = await retrainHead({
      model: values.model,
      images,
      featureCache: cache,
      folds,
      l2,
      features: features.data,
    });
    const totalMs = performance.now() - started;
    const skipped = [...unreadable, ...result.skipped];
    const report = {
      features: features.data,
      validation: result.crossValidation.validation,
      weightedAccuracy: result.crossValidation.weightedAccuracy,
      weightedF1: result.crossValidation.weightedF1,
      balancedAccuracy: result.crossValidation.balancedAccuracy,
      confusionMatrix: result.crossValidation.confusionMatrix,
      classes: result.crossValidation.classes,
      n: result.crossValidation.n,
      folds: result.crossValidation.folds,
      foldSizes: result.crossValidation.foldSizes,
      backbone: {
        name: result.head.backboneName,
        version: result.head.backboneVersion,
        sha256: result.head.backboneSha256,
      },
      skipped,
      timingsMs: { features: result.timings.featuresMs, training: result.timings.trainingMs, total: totalMs },
      featureCache: { hits: result.timings.cacheHits, computed: result.timings.computed },
    };
    if (values.out) {
      const outDir = path.resolve(values.out);
      await mkdir(outDir, { recursive: true });
      await writeFile(path.join(outDir, "head.json"), `${JSON.stringify(result.head, null, 2)}\n`);
      await writeFile(path.join(outDir, "metrics.json"), `${JSON.stringify(report, null, 2)}\n`);
    }
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(
        `${report.n} images, ${report.classes.length} classes (${report.classes.join(", ")}), features ${report.features}, ${validationText(result)}`,
      );
      console.log(
        `weighted accuracy ${report.weightedAccuracy.toFixed(4)}  weighted F1 ${report.weightedF1.toFixed(4)}  balanced accuracy ${report.balancedAccuracy.toFixed(4)}`,
      );
      console.log("confusion matrix (rows = true class):");
      report.confusionMatrix.forEach((row, i) =>
        console.log(`  ${(report.classes[i] ?? "").padEnd(16)} ${row.map((v) => String(v).padStart(5)).join("")}`),
      );
      console.log(
        `features ${report.timingsMs.features.toFixed(0)} ms (${report.featureCache.hits} cached, ${report.featureCache.computed} computed), training ${report.timingsMs.training.toFixed(0)} ms, total ${totalMs.toFixed(0)} ms`,
      );
      for (const s of skipped) console.error(`skipped: ${s.name}: ${s.error}`);
      if (values.out) console.log(`wrote ${path.join(path.resolve(values.out), "head.json")}`);
    }
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await releaseModels();
  }
}

function validationText(result: RetrainHeadResult): string {
  const cv = result.crossValidation;
  return cv.validation === "leave-one-group-out"
    ? `leave-one-group-out (${cv.folds} groups)`
    : `${cv.folds}-fold grouped CV`;
}

function printComparison(rows: { features: FeatureSet; result: RetrainHeadResult }[], json: boolean): void {
  const table = rows.map(({ features, result }) => ({
    features,
    validation: result.crossValidation.validation,
    folds: result.crossValidation.folds,
    n: result.crossValidation.n,
    accuracy: result.crossValidation.weightedAccuracy,
    balancedAccuracy: result.crossValidation.balancedAccuracy,
    weightedF1: result.crossValidation.weightedF1,
    confusionMatrix: result.crossValidation.confusionMatrix,
    classes: result.crossValidation.classes,
  }));
  if (json) {
    console.log(JSON.stringify(table, null, 2));
    return;
  }
  const first = rows[0]?.result;
  if (first)
    console.log(
      `${first.crossValidation.n} images, classes ${first.crossValidation.classes.join(", ")}, ${validationText(first)}`,
    );
  console.log(
    `${"features".padEnd(12)} ${"accuracy".padStart(9)} ${"balanced".padStart(9)} ${"F1".padStart(7)}  confusion (rows = true)`,
  );
  for (const row of table)
    console.log(
      `${row.features.padEnd(12)} ${row.accuracy.toFixed(4).padStart(9)} ${row.balancedAccuracy.toFixed(4).padStart(9)} ${row.weightedF1.toFixed(4).padStart(7)}  ${JSON.stringify(row.confusionMatrix)}`,
    );
}
