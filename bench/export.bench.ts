/**
 * `npm run bench:export`: the results CSV export streams with flat memory.
 *
 * Starts its own embedded PostgreSQL (temporary folder, free port), seeds projects of N images
 * with a result row each (label, analysis with prediction, probabilities, cluster stats for four
 * K values and descriptors; no pixels are needed), then streams each project's CSV exactly as the
 * route does (streamResultsCsv -> readableFromGenerator -> a reader that drains it) in a FRESH
 * child process per size, so nothing else (seeding, other sizes) is in its memory. Each child
 * reports its peak RSS (getrusage maxRSS) and its peak live heap above the start (heapUsed right
 * after a forced GC, after every chunk). Flat memory means neither grows with N. For contrast a child also
 * buffers the largest export whole (what "not streamed" would cost).
 *   --sizes 100,1000,10000   project sizes (default)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { freePort } from "../tests/helpers/free-port";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000" },
    child: { type: "string" },
    buffered: { type: "boolean", default: false },
  },
});

type ChildReport = { bytes: number; ms: number; maxRssBytes: number; peakLiveHeap: number; startRss: number };

if (values.child) {
  // ---------- child: stream one project's CSV, report memory ----------
  const { db } = await import("~/server/db");
  const { streamResultsCsv } = await import("~/server/exports/stream-results-csv");
  const { readableFromGenerator } = await import("~/server/exports/readable-from-generator");
  const { getProjectSettings } = await import("~/server/settings/project-settings");
  const current = await getProjectSettings({ db, projectId: values.child });
  const reportedSettings = { id: current.id, version: current.version };
  await db.user.count(); // connect before measuring
  gc();
  const startRss = process.memoryUsage.rss();
  const startHeap = process.memoryUsage().heapUsed;
  let peakLiveHeap = 0;
  /** Live heap above the start, after a full GC: what the export really holds on to. */
  const sampleLiveHeap = () => {
    gc();
    peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed - startHeap);
  };
  const started = performance.now();
  let bytes = 0;
  if (values.buffered) {
    const parts: string[] = [];
    for await (const chunk of streamResultsCsv({
      db,
      scope: { projectId: values.child },
      settings: reportedSettings,
    })) {
      parts.push(chunk);
      sampleLiveHeap();
    }
    bytes = Buffer.byteLength(parts.join(""));
  } else {
    const reader = readableFromGenerator(
      streamResultsCsv({ db, scope: { projectId: values.child }, settings: reportedSettings }),
    ).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      sampleLiveHeap();
    }
  }
  const report: ChildReport = {
    bytes,
    ms: performance.now() - started,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakLiveHeap,
    startRss,
  };
  await db.$disconnect();
  process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}

const sizes = values.sizes.split(",").map(Number);
const scriptPath = fileURLToPath(import.meta.url);
const tsxBin = path.join(path.dirname(scriptPath), "..", "node_modules", ".bin", "tsx");

function runChild(projectId: string, url: string, buffered = false): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      tsxBin,
      ["--conditions=react-server", scriptPath, "--child", projectId, ...(buffered ? ["--buffered"] : [])],
      {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (data: Buffer) => (out += data.toString()));
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("REPORT "));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${out}`));
      else resolve(JSON.parse(line.slice("REPORT ".length)) as ChildReport);
    });
  });
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "vccc-bench-export-"));
const { startEmbeddedPostgres } = await import("~/server/database/embedded-postgres");
const { applyMigrations } = await import("~/server/database/migrate");
const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "bench_export" });
process.env.DATABASE_URL = database.url;

try {
  await applyMigrations(database.url);
  const { db } = await import("~/server/db");
  async function seed(count: number) {
    const user = await db.user.create({ data: { email: `bench-${count}@example.test` } });
    const project = await db.project.create({
      data: { name: `bench ${count}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
    });
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "micrographs" } });
    const labelClass = await db.labelClass.create({
      data: { projectId: project.id, name: "Dendrite", color: "#ff0000" },
    });
    for (let start = 0; start < count; start += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
        const n = start + i;
        const sha = n.toString(16).padStart(8, "0") + project.id.padEnd(56, "0").slice(0, 56);
        return {
          projectId: project.id,
          datasetId: dataset.id,
          fileName: `cycle-10/sample-${String(n).padStart(6, "0")}.tif`,
          blobKey: `sha256/${sha}`,
          sha256: sha,
          byteSize: 1,
          thumbnailKey: `sha256/${sha}`,
          format: "tiff",
          width: 1024,
          height: 768,
          bitDepth: 16,
          channels: 1,
        };
      });
      await db.image.createMany({ data: batch });
    }
    const images = await db.image.findMany({ where: { projectId: project.id }, select: { id: true } });
    const settings = await db.analysisSettings.create({
      data: { projectId: project.id, version: 1, settings: DEFAULT_ANALYSIS_SETTINGS },
    });
    const kmeans = (k: number) => ({
      requestedK: k,
      k,
      method: "exact",
      centers: Array.from({ length: k }, (_, i) => i * 40),
      standardizedCenters: Array.from({ length: k }, (_, i) => i - 1),
      counts: Array.from({ length: k }, () => 1000),
      areaPercent: Array.from({ length: k }, () => 100 / k),
      inertia: 12.5,
      standardizedInertia: 0.5,
      mean: 100,
      std: 40,
    });
    for (let start = 0; start < images.length; start += 1000) {
      const slice = images.slice(start, start + 1000);
      await db.imageLabel.createMany({
        data: slice.map((image) => ({ imageId: image.id, labelClassId: labelClass.id })),
      });
      await db.analysis.createMany({
        data: slice.map((image, i) => ({
          imageId: image.id,
          paramsHash: "bench",
          params: {},
          codeVersion: "analyze-image@1",
          prediction: i % 2 ? "dendritic" : "spherical",
          probabilities: { dendritic: 0.7, spherical: 0.2, needle: 0.1 },
          clusterStats: { "2": kmeans(2), "3": kmeans(3), "4": kmeans(4), "5": kmeans(5) },
          descriptors: {
            otsuThreshold: 117,
            foregroundFraction: 0.42,
            meanContrast: 0.125,
            particleCount: 311,
          },
        })),
      });
      // Every analysis is what the image reports under settings version 1 (what exports read).
      const analyses = await db.analysis.findMany({
        where: { imageId: { in: slice.map((image) => image.id) } },
        select: { id: true, imageId: true },
      });
      await db.settingsResult.createMany({
        data: analyses.map((a) => ({
          projectId: project.id,
          settingsId: settings.id,
          imageId: a.imageId,
          analysisId: a.id,
        })),
      });
    }
    return project.id;
  }

  const projects = new Map<number, string>();
  for (const size of sizes) projects.set(size, await seed(size));
  await runChild(projects.get(sizes[0]!)!, database.url); // warm-up: disk caches, query plans

  console.log(
    `results CSV export, streamed; one fresh process per run (Node ${process.version}, ${os.cpus().length} CPUs)`,
  );
  console.log(
    "images | CSV bytes | time ms | peak RSS (maxRSS) | RSS before export | peak live heap above start (after GC)",
  );
  const rows: { size: number; report: ChildReport }[] = [];
  for (const size of sizes) {
    const report = await runChild(projects.get(size)!, database.url);
    rows.push({ size, report });
    console.log(
      `${String(size).padStart(6)} | ${String(report.bytes).padStart(9)} | ${report.ms.toFixed(0).padStart(7)} | ${mib(report.maxRssBytes).padStart(13)} MiB | ${mib(report.startRss).padStart(13)} MiB | ${mib(report.peakLiveHeap).padStart(30)} MiB`,
    );
  }
  const largest = sizes[sizes.length - 1]!;
  const buffered = await runChild(projects.get(largest)!, database.url, true);
  console.log(
    `contrast: ${largest} images buffered whole instead of streamed: peak RSS ${mib(buffered.maxRssBytes)} MiB, peak live heap ${mib(buffered.peakLiveHeap)} MiB`,
  );
  const small = rows.find((r) => r.size === 100) ?? rows[0]!;
  const big = rows.find((r) => r.size === 1000) ?? rows[rows.length - 1]!;
  console.log(
    `${big.size} vs ${small.size} images: peak RSS ${mib(big.report.maxRssBytes)} vs ${mib(small.report.maxRssBytes)} MiB; peak live heap ${mib(big.report.peakLiveHeap)} vs ${mib(small.report.peakLiveHeap)} MiB`,
  );
  await db.$disconnect();
} finally {
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
