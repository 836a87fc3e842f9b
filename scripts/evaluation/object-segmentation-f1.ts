/**
 * Dev evaluation (not part of the app or CI): object-level precision, recall and F1 of
 * (a) the textbook recipe (Gaussian sigma 1, Otsu, fill holes, EDT, h-maxima h = 2, watershed)
 * built from our kernels and (b) `segmentObjects` with its defaults, on a public set with
 * per-object ground truth in ../shared/data.
 *
 * Set: DeepSEM (github.com/Martin09/DeepSEM, MIT), SEM of GaAs nanowire arrays: 31 tiles of about
 * 341 x 344 (28 train, 3 val), densely packed bright objects on a dark substrate, every object
 * boxed (classes NW, Parasitic, Nanospade, all counted as objects). The ground truth is boxes, so
 * a predicted object is its bounding box and a match is box IoU >= 0.5; matching is greedy
 * one-to-one by decreasing IoU. The images are read in place; nothing is copied into the repo.
 *
 *   npx tsx --conditions=react-server scripts/evaluation/object-segmentation-f1.ts [--data DIR] [--iou 0.5]
 *
 * See scripts/evaluation/README.md for the numbers.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import type { GreyImage } from "~/core/analysis/raster";
import { loadSegmentObjects, textbookRecipe, type LabelMap } from "./object-pipelines";
import { runMain, table } from "../../bench/report";

type Box = [x0: number, y0: number, x1: number, y1: number]; // x1, y1 exclusive

type Labels = {
  splits: Record<string, { image: string; objects: { class: string; bbox: [number, number, number, number] }[] }[]>;
};

type Counts = { gt: number; pred: number; tp: number };

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_DATA = path.resolve(HERE, "../../../shared/data/gaas_nanowires_deepsem");

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function readGrey(file: string): Promise<GreyImage> {
  const { data, info } = await sharp(await readFile(file))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`${file}: expected 1 channel after greyscale, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Bounding box of every label 1..count (labels absent from the map are skipped). */
function labelBoxes({ labels, count }: LabelMap, width: number): Box[] {
  const x0 = new Int32Array(count + 1).fill(2 ** 31 - 1);
  const y0 = new Int32Array(count + 1).fill(2 ** 31 - 1);
  const x1 = new Int32Array(count + 1).fill(-1);
  const y1 = new Int32Array(count + 1).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l === 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0[l]!) x0[l] = x;
    if (y < y0[l]!) y0[l] = y;
    if (x + 1 > x1[l]!) x1[l] = x + 1;
    if (y + 1 > y1[l]!) y1[l] = y + 1;
  }
  const boxes: Box[] = [];
  for (let l = 1; l <= count; l++) if (x1[l]! >= 0) boxes.push([x0[l]!, y0[l]!, x1[l]!, y1[l]!]);
  return boxes;
}

function boxIou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return inter / union;
}

/** Greedy one-to-one matching by decreasing IoU; pairs below `minIou` never match. */
function matchCount(pred: Box[], gt: Box[], minIou: number): number {
  const pairs: [number, number, number][] = [];
  for (let p = 0; p < pred.length; p++) {
    for (let g = 0; g < gt.length; g++) {
      const iou = boxIou(pred[p]!, gt[g]!);
      if (iou >= minIou) pairs.push([iou, p, g]);
    }
  }
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedP = new Uint8Array(pred.length);
  const usedG = new Uint8Array(gt.length);
  let tp = 0;
  for (const [, p, g] of pairs) {
    if (usedP[p] || usedG[g]) continue;
    usedP[p] = usedG[g] = 1;
    tp++;
  }
  return tp;
}

function prf({ gt, pred, tp }: Counts): { p: number; r: number; f1: number } {
  const p = pred === 0 ? 0 : tp / pred;
  const r = gt === 0 ? 0 : tp / gt;
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

async function main(): Promise<number> {
  const dataDir = path.resolve(argValue("--data") ?? DEFAULT_DATA);
  const minIou = Number(argValue("--iou") ?? "0.5");
  const labelsFile = path.join(dataDir, "labels_clean.json");
  if (!existsSync(labelsFile)) {
    console.log(`skipped: ${labelsFile} not found (needs the DeepSEM set in ../shared/data)`);
    return 0;
  }
  const gtAll = JSON.parse(await readFile(labelsFile, "utf8")) as Labels;
  const loaded = await loadSegmentObjects();
  const methods: { name: string; run: (img: GreyImage) => LabelMap }[] = [
    { name: "textbook", run: (img) => textbookRecipe(img) },
  ];
  if (typeof loaded === "string") console.log(`segmentObjects: not evaluated (${loaded})`);
  else {
    const params = argValue("--params");
    const overrides = params === undefined ? undefined : (JSON.parse(params) as Record<string, unknown>);
    methods.push({ name: "segmentObjects", run: (img) => loaded(img, overrides) });
    if (overrides) console.log(`segmentObjects overrides: ${JSON.stringify(overrides)}`);
    if (loaded.defaults !== undefined) console.log(`segmentObjects defaults: ${JSON.stringify(loaded.defaults)}`);
  }

  const totals = methods.map((): Counts => ({ gt: 0, pred: 0, tp: 0 }));
  const f1Sums = methods.map(() => 0);
  const header = ["image", "GT"];
  for (const m of methods) header.push(`${m.name} n`, "P", "R", "F1");
  const rows: string[][] = [header];
  let images = 0;
  for (const [split, entries] of Object.entries(gtAll.splits)) {
    for (const entry of entries) {
      const file = path.join(dataDir, entry.image);
      if (!existsSync(file)) continue;
      const img = await readGrey(file);
      const gt: Box[] = entry.objects.map(({ bbox: [x, y, w, h] }) => [x, y, x + w, y + h]);
      const row = [`${split}/${path.basename(entry.image, ".png")}`, String(gt.length)];
      methods.forEach((m, k) => {
        const pred = labelBoxes(m.run(img), img.width);
        const c: Counts = { gt: gt.length, pred: pred.length, tp: matchCount(pred, gt, minIou) };
        const s = prf(c);
        totals[k]!.gt += c.gt;
        totals[k]!.pred += c.pred;
        totals[k]!.tp += c.tp;
        f1Sums[k]! += s.f1;
        row.push(String(c.pred), s.p.toFixed(3), s.r.toFixed(3), s.f1.toFixed(3));
      });
      rows.push(row);
      images++;
    }
  }
  const all = ["ALL (pooled)", String(totals[0]?.gt ?? 0)];
  const mean = ["mean per image", ""];
  methods.forEach((_, k) => {
    const s = prf(totals[k]!);
    all.push(String(totals[k]!.pred), s.p.toFixed(3), s.r.toFixed(3), s.f1.toFixed(3));
    mean.push("", "", "", (f1Sums[k]! / Math.max(1, images)).toFixed(3));
  });
  rows.push(all, mean);
  console.log(
    `\nObject F1 on DeepSEM GaAs nanowire tiles (${images} images, ${dataDir}); ` +
      `match = bounding-box IoU >= ${minIou}, greedy one-to-one\n`,
  );
  console.log(table(rows));
  console.log(
    "\ntextbook = Gaussian sigma 1, Otsu (bright objects), fill holes, EDT, h-maxima h = 2, watershed (no border or size filter)",
  );
  return 0;
}

runMain(main);
