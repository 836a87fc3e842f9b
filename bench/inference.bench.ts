/**
 * `npm run bench:inference [-- --model <name|path>] [--runs <n>] [--batch <n>]`
 *
 * 1. Throughput of batch classification through our service (classifyPlanes: stacking, the
 *    cached session, output checks, pooling, softmax) against a bare ONNX Runtime session on the
 *    same preprocessed inputs and batch size, on CPU. Runs alternate between the two so that
 *    load from other processes hits both alike; medians of images/s.
 * 2. Latency of classify + CAM for one image: from encoded file bytes (decode, preprocess, run,
 *    CAM) and from a preprocessed plane. Medians of ms.
 */
import { readFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import * as ort from "onnxruntime-node";

import { decodeRaster } from "~/server/codecs/decode-raster";
import { classifyImages, classifyPlanes } from "~/server/inference/classify";
import { INPUT_NAME, INPUT_PLANE, INPUT_SIZE } from "~/server/inference/onnx-contract";
import { preprocessRaster } from "~/server/inference/preprocess";
import { getModel, releaseModels } from "~/server/inference/session-cache";

import { median } from "./median";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    model: { type: "string" },
    runs: { type: "string" },
    batch: { type: "string" },
    images: { type: "string" },
  },
});
const runs = Number(values.runs ?? 7);
const batch = Number(values.batch ?? 8);
const nImages = Number(values.images ?? 32);

/** Inputs: the reference fixture images when ../shared is there, else the committed synthetic one. */
async function inputFiles(): Promise<{ name: string; bytes: Buffer }[]> {
  const shared = path.resolve(process.cwd(), "../shared/fixtures/reference");
  if (existsSync(shared)) {
    const found: { name: string; bytes: Buffer }[] = [];
    for (const dir of readdirSync(shared, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      const file = readdirSync(path.join(shared, dir.name)).find((f) => f.startsWith("input."));
      if (file) found.push({ name: `${dir.name}/${file}`, bytes: readFileSync(path.join(shared, dir.name, file)) });
    }
    if (found.length > 0) return found;
  }
  const { encodePng } = await import("~/server/codecs/encode-png");
  const raw = new Uint8Array(readFileSync(path.resolve("tests/fixtures/inference/cam-input.u8")));
  return [{ name: "cam-input.png", bytes: await encodePng(raw, 256, 256, 1) }];
}

async function main(): Promise<void> {
  const model = await getModel(values.model);
  const files = await inputFiles();
  const basePlanes = await Promise.all(files.map(async (f) => preprocessRaster(await decodeRaster(f.bytes))));
  const planes = Array.from(
    { length: nImages },
    (_, i) => basePlanes[i % basePlanes.length] ?? new Float32Array(INPUT_PLANE),
  );

  const bare = await ort.InferenceSession.create(model.path, {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
  });
  const stackedBatches: ort.Tensor[] = [];
  for (let start = 0; start < planes.length; start += batch) {
    const chunk = planes.slice(start, start + batch);
    const data = new Float32Array(chunk.length * INPUT_PLANE);
    chunk.forEach((p, i) => data.set(p, i * INPUT_PLANE));
    stackedBatches.push(new ort.Tensor("float32", data, [chunk.length, 1, INPUT_SIZE, INPUT_SIZE]));
  }
  const bareRun = async (): Promise<void> => {
    for (const tensor of stackedBatches) await bare.run({ [INPUT_NAME]: tensor });
  };
  const serviceRun = async (): Promise<void> => {
    await classifyPlanes({ model: model.path, planes, batchSize: batch });
  };
  // warm-up both
  await bareRun();
  await serviceRun();
  const bareRates: number[] = [];
  const serviceRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    await bareRun();
    bareRates.push((planes.length * 1000) / (performance.now() - t0));
    t0 = performance.now();
    await serviceRun();
    serviceRates.push((planes.length * 1000) / (performance.now() - t0));
  }

  const oneFile = files.find((f) => f.name.startsWith("ag_dendrites")) ?? files[0];
  if (!oneFile) throw new Error("no input image");
  const onePlane = planes[0] ?? new Float32Array(INPUT_PLANE);
  const fromBytes: number[] = [];
  const fromPlane: number[] = [];
  const camOnly: number[] = [];
  for (let r = 0; r < 3; r++)
    await classifyImages({
      model: model.path,
      images: [{ name: oneFile.name, bytes: oneFile.bytes }],
      cam: "predicted",
    });
  for (let r = 0; r < Math.max(15, runs); r++) {
    let t0 = performance.now();
    await classifyImages({
      model: model.path,
      images: [{ name: oneFile.name, bytes: oneFile.bytes }],
      cam: "predicted",
    });
    fromBytes.push(performance.now() - t0);
    t0 = performance.now();
    await classifyPlanes({ model: model.path, planes: [onePlane], cam: "predicted" });
    const withCam = performance.now() - t0;
    t0 = performance.now();
    await classifyPlanes({ model: model.path, planes: [onePlane] });
    fromPlane.push(withCam);
    camOnly.push(withCam - (performance.now() - t0));
  }
  await bare.release();
  await releaseModels();

  const bareMedian = median(bareRates);
  const serviceMedian = median(serviceRates);
  const rows: [string, string, string][] = [
    ["bare ONNX Runtime session, batch " + batch, `${bareMedian.toFixed(1)} images/s`, "1.00"],
    [
      "our service (classifyPlanes), batch " + batch,
      `${serviceMedian.toFixed(1)} images/s`,
      (serviceMedian / bareMedian).toFixed(2),
    ],
    [`classify + CAM, 1 image from file bytes (${oneFile.name})`, `${median(fromBytes).toFixed(1)} ms/image`, ""],
    ["classify + CAM, 1 preprocessed image", `${median(fromPlane).toFixed(1)} ms/image`, ""],
    ["  of which CAM (difference with/without)", `${median(camOnly).toFixed(1)} ms/image`, ""],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(
    `model ${model.card.name} ${model.card.version} (${model.sha256.slice(0, 12)}), ${planes.length} images x ${runs} runs, medians, CPU`,
  );
  console.log(`${"".padEnd(w0)}  ${"median".padStart(w1)}  ratio to bare`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
