/**
 * `npm run bench:objects`: object segmentation and descriptors on deterministic synthetic grey
 * images (1024^2 with ~1000 objects, 4096^2 with ~10 000: bright discs and ellipses of varied
 * size, some touching or overlapping, some with a dark hole, on a shaded noisy background).
 *
 * Times, as medians of several runs after warm-up, with the product's defaults:
 * - segmentation: `segmentObjectsInParallel` (src/server/objects/parallel-segmentation.ts), which
 *   the server and the CLI use: segmentObjects' steps in parts on this thread and helper threads
 *   (2 threads in all on a machine with 2 or more cores); and `segmentObjects` on one thread, for
 *   comparison (same labels);
 * - descriptors: `regionPropsInParallel` on the segmentation's label map (and `regionProps` on
 *   one thread);
 * - both together, the number the targets apply to.
 * Then, when Debian's /usr/bin/python3 has scikit-image, spawns scripts/reference/regionprops_bench.py
 * on the same label map (same number of runs) and prints how much faster `regionProps` (one thread)
 * is than skimage's regionprops reading the same descriptors. Exits 1 if a target (segmentation +
 * descriptors < 50 ms at 1024^2, < 800 ms at 4096^2) is missed.
 *
 * Options: --runs N (all sizes), --sizes 1024,4096. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GreyImage } from "~/core/analysis/raster";
import { regionProps } from "~/core/objects/region-props";
import { DEFAULT_OBJECT_PARAMS, segmentObjects } from "~/core/objects/segment-objects";
import {
  closeSegmentationHelpers,
  regionPropsInParallel,
  segmentationThreads,
  segmentObjectsInParallel,
} from "~/server/objects/parallel-segmentation";
import { median, medianTime, medianTimeAsync } from "./median";
import { runMain, table } from "./report";

const PYTHON = "/usr/bin/python3";
const HELPER = fileURLToPath(new URL("../scripts/reference/regionprops_bench.py", import.meta.url));
const CASES: { size: number; objects: number; runs: number; targetMs: number }[] = [
  { size: 1024, objects: 1000, runs: 15, targetMs: 50 },
  { size: 4096, objects: 10000, runs: 5, targetMs: 800 },
];

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Synthetic micrograph: `count` bright ellipses (semi-axes 4..15 px, random angle; a third are
 * discs; one in ten has a dark hole) at random positions, so some touch or overlap, on a
 * background with a gentle gradient, plus uniform noise of +-20 grey levels. Deterministic.
 */
function syntheticImage(size: number, count: number, seed: number): GreyImage {
  const rand = lcg(seed);
  const value = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) value[y * size + x] = 50 + (20 * (x + y)) / (2 * size);
  }
  for (let k = 0; k < count; k++) {
    const cx = rand() * size;
    const cy = rand() * size;
    const a = 4 + rand() * 11;
    const b = rand() < 1 / 3 ? a : Math.max(3, a * (0.4 + 0.6 * rand()));
    const theta = rand() * Math.PI;
    const hole = rand() < 0.1 ? 0.35 : 0;
    const level = 150 + rand() * 60;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const r = Math.ceil(a);
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(size - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(size - 1, Math.ceil(cx + r)); x++) {
        const dx = x - cx;
        const dy = y - cy;
        const u = (dx * cos + dy * sin) / a;
        const v = (-dx * sin + dy * cos) / b;
        const d = u * u + v * v;
        if (d > 1) continue;
        const i = y * size + x;
        value[i] = d < hole * hole ? 60 : Math.max(value[i]!, level - 30 * d);
      }
    }
  }
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.min(255, Math.max(0, Math.round(value[i]! + (rand() - 0.5) * 40)));
  }
  return { width: size, height: size, data };
}

type Skimage = { median: number; objects: number; version: string } | { skipped: string };

function skimageRegionprops(labels: Int32Array, size: number, runs: number, dir: string): Skimage {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const file = path.join(dir, `labels-${size}.raw`);
  writeFileSync(file, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  const res = spawnSync(PYTHON, [HELPER, file, String(size), String(size), String(runs), "1"], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (res.error) return { skipped: `${PYTHON} failed to start: ${res.error.message}` };
  if (res.status === 3) return { skipped: res.stderr.trim() || "numpy/skimage not importable" };
  if (res.status !== 0) return { skipped: `regionprops_bench.py exited ${res.status}: ${res.stderr.trim()}` };
  const out = JSON.parse(res.stdout.trim().split("\n").pop()!) as {
    median_ms: number;
    objects: number;
    skimage: string;
  };
  return { median: out.median_ms, objects: out.objects, version: out.skimage };
}

async function main(): Promise<number> {
  const runsArg = argValue("--runs");
  const sizes = (argValue("--sizes") ?? "1024,4096").split(",").map(Number);
  const threads = segmentationThreads();
  console.log(`\nsegmentation = segmentObjects defaults ${JSON.stringify(DEFAULT_OBJECT_PARAMS)}`);
  console.log(`threads: ${threads} (${os.availableParallelism()} cores available)`);

  const dir = mkdtempSync(path.join(tmpdir(), "objects-bench-"));
  let ok = true;
  const rows: string[][] = [
    [
      "image",
      "drawn",
      "found",
      "runs",
      "seg 1 thread",
      `seg ${threads} threads`,
      "props 1 thread",
      `props ${threads} threads`,
      "seg+props ms",
      "target",
      "skimage props ms",
      "props speed-up",
    ],
  ];
  const notes: string[] = [];
  try {
    for (const c of CASES.filter((k) => sizes.includes(k.size))) {
      const runs = runsArg ? Number(runsArg) : c.runs;
      const img = syntheticImage(c.size, c.objects, c.size);
      const seg = segmentObjects(img);
      const serialSeg = medianTime(() => segmentObjects(img), runs).median;
      const steps: Record<string, number[]> = {};
      const { median: segMs } = await medianTimeAsync(async () => {
        const r = await segmentObjectsInParallel(img, {}, threads);
        for (const [k, v] of Object.entries(r.timingsMs)) (steps[k] ??= []).push(v);
      }, runs);
      const stepText = Object.entries(steps)
        .map(([k, v]) => `${k} ${median(v.slice(-runs)).toFixed(1)}`)
        .join(", ");
      notes.push(`${c.size}^2 segmentation steps on ${threads} threads (median ms): ${stepText}`);
      const serialProps = medianTime(() => regionProps(seg.labels, c.size, c.size), runs).median;
      const { median: propsMs } = await medianTimeAsync(
        () => regionPropsInParallel(seg.labels, c.size, c.size, {}, threads),
        runs,
      );
      const found = seg.count;
      const { median: bothMs } = await medianTimeAsync(async () => {
        const s = await segmentObjectsInParallel(img, {}, threads);
        await regionPropsInParallel(s.labels, c.size, c.size, {}, threads);
      }, runs);
      const pass = bothMs < c.targetMs;
      ok &&= pass;
      const sk = skimageRegionprops(seg.labels, c.size, runs, dir);
      let skCell = "skipped";
      let ratioCell = "-";
      if ("skipped" in sk) notes.push(`skimage ${c.size}^2 skipped: ${sk.skipped}`);
      else {
        skCell = sk.median.toFixed(1);
        ratioCell = `${(sk.median / serialProps).toFixed(1)}x`;
        notes.push(
          `${c.size}^2: regionProps on one thread is ${(sk.median / serialProps).toFixed(1)}x faster than skimage ` +
            `${sk.version} regionprops (${sk.objects} objects, same label map, ${runs} runs each)`,
        );
      }
      rows.push([
        `${c.size}x${c.size}`,
        String(c.objects),
        String(found),
        String(runs),
        serialSeg.toFixed(1),
        segMs.toFixed(1),
        serialProps.toFixed(1),
        propsMs.toFixed(1),
        bothMs.toFixed(1),
        pass ? `ok (<${c.targetMs})` : `FAIL (>=${c.targetMs})`,
        skCell,
        ratioCell,
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await closeSegmentationHelpers();
  }
  console.log(`\nObject segmentation and descriptors, medians after 2 warm-up runs (ms)\n`);
  console.log(table(rows));
  if (notes.length) console.log(`\n${notes.join("\n")}`);
  console.log(ok ? "\nall targets met" : "\nsome targets missed");
  return ok ? 0 : 1;
}

runMain(main);
