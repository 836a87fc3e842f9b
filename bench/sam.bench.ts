/**
 * `npm run bench:sam [-- --runs N] [--model <name or folder>]`
 *
 * 1. With the probe model (tests/fixtures/sam2/probe): the pipeline overhead of automatic mask
 *    generation per image (points_per_side 32 = 1024 prompts in 16 batches of 64): everything but
 *    the two networks, i.e. the service's time minus the time inside the decoder's runs (the
 *    encoder is not part of it: its embedding is computed first), on the two fixture images and on
 *    synthetic 1024 x 1024 and 2048 x 1536 images of discs, as wall time and as CPU time of this
 *    process. Target: < 1 s per image, judged on the CPU time (on a shared machine the wall time
 *    also counts other processes' turns; on an idle one it is at most the CPU time here, the
 *    generator being one JavaScript thread).
 * 2. With the probe model: the server's overhead per click: the "sam2.decode" task through the
 *    heavy-work pool (transfer, prompt tensors, choosing the best mask, rendering it as mask runs
 *    over the image, moving the logits back) minus the decoder's run, with the embedding already
 *    held by the thread, plus the model lookup the request does. Target: < 20 ms.
 * 3. With a real model, when one is installed in SAM2_MODELS_DIR (or named by --model): encoder
 *    ms/image, decoder ms/click and automatic generation s/image on the configured provider (CPU by
 *    default). Says which model was used, or that none was.
 *
 * Medians of --runs runs (default 5) after one warm-up. Exits 1 if a target is missed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Raster } from "~/core/analysis/raster";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { readySam2ModelOrBadInput } from "~/server/inference/sam2/get-sam2-embedding-status";
import { generateSam2Masks } from "~/server/inference/sam2/generate-sam2-masks";
import { maskGrid } from "~/server/inference/sam2/decode-sam2-prompt";
import { embeddingTensors } from "~/server/inference/sam2/sam2-contract";
import { computeSam2Embedding, encodeSam2Embedding } from "~/server/inference/sam2/sam2-embedding";
import { sam2EmbeddingKey } from "~/server/inference/sam2/sam2-embedding-cache";
import { getSam2Model, type LoadedSam2Model } from "~/server/inference/sam2/sam2-model";
import { listSam2Models, resolveSam2Folder } from "~/server/inference/sam2/sam2-registry";
import { providerStatus } from "~/server/inference/providers";
import { releaseModels } from "~/server/inference/session-cache";
import { closeHeavyWorkPool, runHeavyTask } from "~/server/workers/heavy-pool";
import { median } from "./median";
import { runMain, table } from "./report";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { runs: { type: "string" }, model: { type: "string" } },
});
const RUNS = Math.max(1, Number(values.runs ?? 5));
const ROOT = process.cwd();
const PROBE = path.join(ROOT, "tests/fixtures/sam2/probe");
const AMG_TARGET_MS = 1000;
const CLICK_TARGET_MS = 20;

/** Grey discs (220) on a dark background (30), like the fixture images, at any size. */
function discsRaster(width: number, height: number): Raster {
  const data = new Uint8Array(width * height).fill(30);
  const discs = 24;
  for (let k = 0; k < discs; k++) {
    const cx = ((k * 7919) % 97) / 97;
    const cy = ((k * 104729) % 89) / 89;
    const r = (0.03 + ((k * 31) % 7) / 100) * Math.min(width, height);
    for (let y = Math.max(0, Math.floor(cy * height - r)); y < Math.min(height, Math.ceil(cy * height + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx * width - r)); x < Math.min(width, Math.ceil(cx * width + r)); x++) {
        if ((x + 0.5 - cx * width) ** 2 + (y + 0.5 - cy * height) ** 2 <= r * r) data[y * width + x] = 220;
      }
    }
  }
  return { width, height, channels: 1, bitDepth: 8, data };
}

async function inputs(): Promise<{ name: string; raster: Raster }[]> {
  const fixtures = ["discs-200x150", "discs-320x400"];
  const decoded = await Promise.all(
    fixtures.map(async (name) => ({
      name: `${name}.png`,
      raster: await decodeRaster(readFileSync(path.join(ROOT, `tests/fixtures/sam2/images/${name}.png`))),
    })),
  );
  return [
    ...decoded,
    { name: "discs 1024x1024", raster: discsRaster(1024, 1024) },
    { name: "discs 2048x1536", raster: discsRaster(2048, 1536) },
  ];
}

type AmgTiming = { totalMs: number; decoderMs: number; overheadCpuMs: number; masks: number };

async function timeAmg(model: LoadedSam2Model, raster: Raster): Promise<AmgTiming> {
  const { stored } = await computeSam2Embedding(model, raster);
  const tensors = embeddingTensors(stored.embedding);
  const once = async () => {
    const generated = await generateSam2Masks({
      model,
      tensors,
      width: raster.width,
      height: raster.height,
      params: {},
    });
    const { total, decoder, totalCpu, decoderCpu } = generated.timingsMs;
    return { totalMs: total, decoderMs: decoder, overheadCpuMs: totalCpu - decoderCpu, masks: generated.masks.length };
  };
  await once();
  const samples: AmgTiming[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  return {
    totalMs: median(samples.map((s) => s.totalMs)),
    decoderMs: median(samples.map((s) => s.decoderMs)),
    overheadCpuMs: median(samples.map((s) => s.overheadCpuMs)),
    masks: samples[0]!.masks,
  };
}

/** One click through the heavy-work pool, as sam2.decode does it (the embedding sent when missing). */
async function click(
  model: LoadedSam2Model,
  raster: Raster,
  key: string,
  embedding: ArrayBuffer,
  x: number,
  y: number,
): Promise<{ wallMs: number; decoderMs: number; sent: boolean }> {
  const started = performance.now();
  const input = {
    modelFolder: model.folder,
    embeddingKey: key,
    imageWidth: raster.width,
    imageHeight: raster.height,
    ...maskGrid(raster.width, raster.height),
    prompt: { points: [{ x, y, label: 1 as const }] },
    maskThreshold: 0,
  };
  let answer = await runHeavyTask("sam2.decode", input);
  let sent = false;
  if (answer.status === "missing-embedding") {
    const copy = embedding.slice(0);
    answer = await runHeavyTask("sam2.decode", { ...input, embedding: copy }, { transfer: [copy] });
    sent = true;
  }
  if (answer.status !== "decoded") throw new Error("the thread did not decode");
  return { wallMs: performance.now() - started, decoderMs: answer.timingsMs.decoder, sent };
}

async function timeClicks(model: LoadedSam2Model, raster: Raster, clicks: number) {
  const { stored } = await computeSam2Embedding(model, raster);
  const bytes = encodeSam2Embedding(stored);
  const key = sam2EmbeddingKey(model.encoderSha256, `bench-${raster.width}x${raster.height}`);
  const overhead: number[] = [];
  const decoder: number[] = [];
  const sendsMs: number[] = [];
  for (let i = 0; i < clicks + 4; i++) {
    const result = await click(
      model,
      raster,
      key,
      bytes.buffer as ArrayBuffer,
      ((i * 37) % raster.width) + 0.5,
      ((i * 53) % raster.height) + 0.5,
    );
    if (result.sent) sendsMs.push(result.wallMs);
    // The first clicks warm both threads up (sessions, the embedding sent once per thread).
    if (i < 4 || result.sent) continue;
    overhead.push(result.wallMs - result.decoderMs);
    decoder.push(result.decoderMs);
  }
  return { overheadMs: median(overhead), decoderMs: median(decoder), sentMs: sendsMs.length ? median(sendsMs) : null };
}

async function realModel(): Promise<LoadedSam2Model | null> {
  if (values.model) return getSam2Model(resolveSam2Folder(values.model));
  const ready = (await listSam2Models()).filter((m) => m.status === "ready" && m.card?.variant !== "probe");
  return ready[0] ? getSam2Model(ready[0].folder) : null;
}

async function main(): Promise<number> {
  const probe = await getSam2Model(PROBE);
  const images = await inputs();
  let ok = true;
  console.log(`SAM 2 benchmark, ${RUNS} runs per case (medians), provider ${providerStatus().active}`);

  console.log("\n1. Automatic mask generation with the probe model, 1024 prompts: pipeline overhead = total - decoder");
  const rows = [
    ["image", "masks", "total ms", "decoder ms", "overhead ms", "overhead CPU ms", `CPU < ${AMG_TARGET_MS} ms`],
  ];
  for (const { name, raster } of images) {
    const t = await timeAmg(probe, raster);
    const overhead = t.totalMs - t.decoderMs;
    // Judged on CPU time: this machine's cores are shared, and wall time counts other processes' turns.
    const met = t.overheadCpuMs < AMG_TARGET_MS;
    ok &&= met;
    rows.push([
      name,
      String(t.masks),
      t.totalMs.toFixed(0),
      t.decoderMs.toFixed(0),
      overhead.toFixed(0),
      t.overheadCpuMs.toFixed(0),
      met ? "yes" : "NO",
    ]);
  }
  console.log(table(rows));

  console.log("\n2. One click with the probe model, through the heavy-work pool, embedding held by the thread");
  const lookup: number[] = [];
  process.env.SAM2_MODELS_DIR ??= path.dirname(PROBE);
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await readySam2ModelOrBadInput("probe");
    lookup.push(performance.now() - t0);
  }
  const clickRows = [
    [
      "image",
      "decoder ms",
      "task overhead ms",
      "model lookup ms",
      "overhead ms",
      `< ${CLICK_TARGET_MS} ms`,
      "first click of a thread ms",
    ],
  ];
  for (const { name, raster } of images) {
    const t = await timeClicks(probe, raster, 30);
    const total = t.overheadMs + median(lookup);
    const met = total < CLICK_TARGET_MS;
    ok &&= met;
    clickRows.push([
      name,
      t.decoderMs.toFixed(2),
      t.overheadMs.toFixed(2),
      median(lookup).toFixed(2),
      total.toFixed(2),
      met ? "yes" : "NO",
      t.sentMs === null ? "-" : t.sentMs.toFixed(1),
    ]);
  }
  console.log(table(clickRows));
  console.log(
    "(not counted: the request's indexed database lookups and the network; the first click a thread gets\n" +
      " for an image also carries the 16.8 MB embedding to it, read from the blob store in the service)",
  );

  console.log("\n3. Real model");
  const real = await realModel();
  if (!real) {
    console.log(
      "none installed (SAM2_MODELS_DIR or models/sam2): no encoder / decoder / generation timings for a real model",
    );
  } else {
    console.log(`model: ${real.folder} (${real.card.variant ?? "variant unknown"}), provider ${real.provider}`);
    const raster = images[2]!.raster;
    // The first run warms the session up; the runs after it are timed.
    const { stored } = await computeSam2Embedding(real, raster);
    const encoder: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++)
      encoder.push((await computeSam2Embedding(real, raster)).timingsMs.encoder);
    const clicks = await timeClicks(real, raster, 20);
    const tensors = embeddingTensors(stored.embedding);
    const amg = await generateSam2Masks({
      model: real,
      tensors,
      width: raster.width,
      height: raster.height,
      params: {},
    });
    console.log(
      table([
        [
          "encoder ms/image",
          "decoder ms/click",
          "click overhead ms",
          "generation s/image",
          "of which decoder s",
          "masks",
        ],
        [
          median(encoder).toFixed(0),
          clicks.decoderMs.toFixed(1),
          clicks.overheadMs.toFixed(2),
          (amg.timingsMs.total / 1000).toFixed(2),
          (amg.timingsMs.decoder / 1000).toFixed(2),
          String(amg.masks.length),
        ],
      ]),
    );
  }
  await closeHeavyWorkPool();
  await releaseModels();
  console.log(ok ? "\nall targets met" : "\nsome targets missed");
  return ok ? 0 : 1;
}

runMain(main);
