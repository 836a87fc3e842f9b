/**
 * Dev step of the calibration (scripts/calibration/README.md): the shipped model's pooled features
 * and logits for rendered synthetic images, through the app's own preprocessing and inference.
 *
 * usage: tsx --conditions=react-server scripts/calibration/extract-features.ts [--model=<model.onnx>] <dir> <split...>
 * (default model: the shipped one)
 * reads <dir>/<split>.u8 (N x 256 x 256 grey bytes), writes <dir>/<split>.features.f32 (N x C)
 * <dir>/<split>.logits.f32 (N x K) and <dir>/<split>.imagestats.f32 (N x 3, imageStatistics).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { imageStatistics } from "~/core/analysis/uncertainty";
import { classifyPlanes } from "~/server/inference/classify";
import { applyHead } from "~/server/inference/linear-head";
import { preprocessRaster } from "~/server/inference/preprocess";
import { getModel, releaseModels } from "~/server/inference/session-cache";

const SIDE = 256;

async function extract(dir: string, split: string, modelPath: string | undefined): Promise<void> {
  const bytes = new Uint8Array(await readFile(path.join(dir, `${split}.u8`)));
  const count = bytes.length / (SIDE * SIDE);
  const model = await getModel(modelPath);
  const planes = Array.from({ length: count }, (_, i) =>
    preprocessRaster({
      width: SIDE,
      height: SIDE,
      channels: 1,
      bitDepth: 8,
      data: bytes.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE),
    }),
  );
  const { results } = await classifyPlanes({ model: modelPath, planes, batchSize: 16 });
  const channels = model.shape.featureChannels;
  const classes = model.head.classes.length;
  const features = new Float32Array(count * channels);
  const logits = new Float32Array(count * classes);
  results.forEach((result, i) => {
    features.set(result.pooledFeatures, i * channels);
    logits.set(applyHead(model.head, result.pooledFeatures), i * classes);
  });
  await writeFile(path.join(dir, `${split}.features.f32`), features);
  await writeFile(path.join(dir, `${split}.logits.f32`), logits);
  const statistics = planes.map((plane) => imageStatistics(plane, SIDE));
  await writeFile(path.join(dir, `${split}.imagestats.f32`), Float32Array.from(statistics.flat()));
  console.log(`${split}: ${count} images, ${channels} features, ${classes} logits`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const modelFlag = args.find((arg) => arg.startsWith("--model="));
  const [dir, ...splits] = args.filter((arg) => arg !== modelFlag);
  if (!dir || splits.length === 0)
    throw new Error("usage: extract-features.ts [--model=<model.onnx>] <dir> <split...>");
  const modelPath = modelFlag?.slice("--model=".length);
  for (const split of splits) await extract(dir, split, modelPath);
  await releaseModels();
}

await main();
