import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../tests/helpers/free-port";
import { micrographPng } from "../tests/helpers/micrograph";

async function main() {
  const count = Number(process.env.N ?? 24);
  const { startEmbeddedPostgres } = await import("~/server/database/embedded-postgres");
  const { applyMigrations } = await import("~/server/database/migrate");
  const pgDir = mkdtempSync(path.join(os.tmpdir(), "vccc-scratch-pg-"));
  const database = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort() });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "vccc-scratch-data-"));
  process.env.JOB_POLL_SECONDS = "0.5";
  const { db } = await import("~/server/db");
  const { blobStore } = await import("~/server/storage");
  const { startDatasetAnalysis } = await import("~/server/jobs/start-dataset-analysis");
  const { startJobWorker } = await import("~/server/jobs/worker");
  const { closeHeavyWorkPool } = await import("~/server/workers/heavy-pool");
  const user = await db.user.create({ data: { email: "bench@example.test" } });
  const project = await db.project.create({
    data: { name: "bench", memberships: { create: { userId: user.id, role: "OWNER" } } },
  });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
  for (let i = 0; i < count; i++) {
    const png = await micrographPng(i + 6, { width: 1024, height: 768, particles: 40, minRadius: 8, maxRadius: 48 });
    const blob = await blobStore().put(png);
    await db.image.create({
      data: { projectId: project.id, datasetId: dataset.id, fileName: `i${i}.png`, blobKey: blob.key, sha256: blob.sha256,
        byteSize: blob.size, thumbnailKey: blob.key, format: "png", width: 1024, height: 768, bitDepth: 8, channels: 1 },
    });
  }
  const worker = await startJobWorker({ log: () => {} });
  const { readdirSync, readFileSync } = await import("node:fs");
  const threads = () => new Map(readdirSync("/proc/self/task").map((t) => {
    const stat = readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ");
    const comm = readFileSync(`/proc/self/task/${t}/comm`, "utf8").trim();
    return [`${t} ${comm}`, (Number(stat[11]) + Number(stat[12])) * 10];
  }));
  const before = threads();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { jobRunId } = await startDatasetAnalysis({ db, projectId: project.id, datasetId: dataset.id, actorId: user.id, objects: process.env.OBJ ? undefined : null, model: process.env.OBJ ? undefined : "visual-ccc-synthetic-v1" });
  for (;;) {
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
    if (run.status !== "QUEUED" && run.status !== "RUNNING") break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${count} images ${s.toFixed(2)} s ${(count / s).toFixed(2)} img/s; process cpu ${((cpu.user + cpu.system) / 1000 / count).toFixed(1)} ms/image`);
  const after = threads();
  for (const [k, v] of after) { const d = v - (before.get(k) ?? 0); if (d > 50) console.log(`${k}: ${d} ms`); }
  await worker.stop();
  await closeHeavyWorkPool();
  await db.$disconnect();
  await database.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
