/**
 * Dev evaluation (not part of the app or CI): how often `segmentObjects`' automatic polarity picks
 * the phase the ground truth calls the objects, on the real SEM images of ../shared/data that have
 * per-object ground truth:
 * - DeepSEM GaAs nanowire tiles (31; boxed nanowires, bright on a dark substrate: truth "bright");
 * - Ag dendrite images with rasterised masks (34, one with an empty mask skipped: truth "bright"
 *   when the mean grey inside the mask is above the mean outside it, else "dark").
 * Prints one line per miss and the totals, with the minority-phase rule alongside for comparison.
 *
 *   npx tsx --conditions=react-server scripts/evaluation/polarity-real.ts [--data DIR]
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import type { GreyImage } from "~/core/analysis/raster";
import { segmentObjects } from "~/core/objects/segment-objects";
import { runMain } from "../../bench/report";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf("--data");
const DATA = i >= 0 ? process.argv[i + 1]! : path.resolve(HERE, "../../../shared/data");

type Case = { name: string; grey: GreyImage; truth: "bright" | "dark" };

async function readGrey(file: string, width?: number, height?: number): Promise<GreyImage> {
  let pipeline = sharp(await readFile(file)).greyscale();
  if (width !== undefined && height !== undefined)
    pipeline = pipeline.resize(width, height, { fit: "fill", kernel: "nearest" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height),
  };
}

async function deepSemCases(): Promise<Case[]> {
  const root = path.join(DATA, "gaas_nanowires_deepsem");
  const cases: Case[] = [];
  for (const folder of ["tiles_train", "tiles_val"]) {
    for (const file of (await readdir(path.join(root, folder))).filter((f) => f.endsWith(".png")).sort()) {
      cases.push({ name: `${folder}/${file}`, grey: await readGrey(path.join(root, folder, file)), truth: "bright" });
    }
  }
  return cases;
}

async function agCases(): Promise<Case[]> {
  const root = path.join(DATA, "ag_dendrites_seg");
  const cases: Case[] = [];
  for (const source of (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)) {
    const masks = path.join(root, source, "masks_rasterized");
    if (!existsSync(masks)) continue;
    for (const maskFile of (await readdir(masks)).filter((f) => f.endsWith(".png")).sort()) {
      const stem = maskFile.replace(/\.png$/, "");
      let imageFile: string | undefined;
      for (const split of ["train", "valid", "test"]) {
        const candidate = path.join(root, source, split, "images", `${stem}.jpg`);
        if (existsSync(candidate)) imageFile = candidate;
      }
      if (imageFile === undefined) continue;
      const grey = await readGrey(imageFile);
      const mask = await readGrey(path.join(masks, maskFile), grey.width, grey.height);
      let inside = 0;
      let insideSum = 0;
      let outsideSum = 0;
      for (let p = 0; p < mask.data.length; p++) {
        if (mask.data[p]! > 127) {
          inside++;
          insideSum += grey.data[p]!;
        } else outsideSum += grey.data[p]!;
      }
      if (inside === 0 || inside === mask.data.length) continue;
      const truth = insideSum / inside > outsideSum / (mask.data.length - inside) ? "bright" : "dark";
      cases.push({ name: `${source}/${stem}`, grey, truth });
    }
  }
  return cases;
}

async function main(): Promise<number> {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} not found`);
    return 0;
  }
  const cases = [...(await deepSemCases()), ...(await agCases())];
  let auto = 0;
  let minority = 0;
  let ms = 0;
  for (const c of cases) {
    const r = segmentObjects(c.grey, { split: false });
    ms += r.timingsMs.threshold ?? 0;
    let bright = 0;
    const smoothed = segmentObjects(c.grey, { split: false, polarity: "bright" });
    for (let p = 0; p < smoothed.labels.length; p++) if (smoothed.labels[p] !== 0) bright++;
    const minorityPick = bright <= c.grey.data.length - bright ? "bright" : "dark";
    if (r.polarity === c.truth) auto++;
    else console.log(`auto miss: ${c.name} (truth ${c.truth})`);
    if (minorityPick === c.truth) minority++;
  }
  console.log(`\n${cases.length} images: auto polarity right on ${auto}, minority phase on ${minority}`);
  console.log(`threshold step (includes auto polarity): ${(ms / cases.length).toFixed(1)} ms per image on average`);
  return 0;
}

runMain(main);
