/**
 * segmentObjects and regionProps on several threads: the calling thread runs part 0 of each step
 * of their pipelines (segmentation-steps.ts) while helper threads run the other parts on shared
 * memory. The labels and records are exactly those of one thread (every step merges its parts the
 * same way for any part count); only the wall time changes. On 2 cores one helper roughly halves the time of the steps
 * that split (smoothing, thresholding, polarity, distance maps and the watershed split); hole
 * filling, labelling and numbering stay on the calling thread.
 *
 * The helpers are one small WorkerPool per process (or per heavy-work thread that uses it), started
 * on first use and idle between images; they do not keep a process alive. If a helper fails, the
 * image is segmented again on the calling thread alone, so a lost thread costs time, not a result.
 */
import os from "node:os";
import type { GreyImage } from "~/core/analysis/raster";
import {
  segmentationSteps,
  segmentObjects,
  type ObjectSegmentation,
  type ObjectSegmentationParams,
} from "~/core/objects/segment-objects";
import { regionProps, regionPropsSteps, type RegionProps, type RegionPropsOptions } from "~/core/objects/region-props";
import { runPart, type PartedStep, type PlaneAllocator } from "~/core/objects/segmentation-steps";
import { WorkerPool } from "~/server/workers/pool";

/** The helpers' one task: part `part` of `parts` of a step. */
export type SegmentationHelperTasks = {
  runPart: { input: { step: PartedStep; part: number; parts: number }; output: unknown };
};

/** Planes in SharedArrayBuffers, so that the helpers write into them. */
const SHARED_MEMORY: PlaneAllocator = {
  bytes: (length) => new Uint8Array(new SharedArrayBuffer(length)),
  int32: (length) => new Int32Array(new SharedArrayBuffer(4 * length)),
  float64: (length) => new Float64Array(new SharedArrayBuffer(8 * length)),
};

/** Threads of one segmentation, the calling one included: up to 2 (the cores we plan for). */
export function segmentationThreads(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

let helpers: WorkerPool<SegmentationHelperTasks> | null = null;

function helperPool(threads: number): WorkerPool<SegmentationHelperTasks> {
  if (helpers === null || helpers.threads < threads) {
    void helpers?.close();
    helpers = new WorkerPool<SegmentationHelperTasks>({
      name: "segmentation helper",
      entry: "src/server/objects/segmentation-helper.worker.ts",
      threads,
      maxQueue: 64,
    });
  }
  return helpers;
}

/** Stops the helper threads (tests, and a CLI that wants to exit at once). */
export async function closeSegmentationHelpers(): Promise<void> {
  const pool = helpers;
  helpers = null;
  await pool?.close();
}

/**
 * segmentObjects with `threads` threads in all (default {@link segmentationThreads}); 1 runs it
 * on the calling thread. Throws what segmentObjects throws (RangeError for bad input).
 */
export async function segmentObjectsInParallel(
  grey: GreyImage,
  params: Partial<ObjectSegmentationParams> = {},
  threads = segmentationThreads(),
): Promise<ObjectSegmentation> {
  if (threads <= 1) return segmentObjects(grey, params);
  const data = sharedCopy(grey.data, (n) => new Uint8Array(new SharedArrayBuffer(n)));
  const steps = segmentationSteps({ ...grey, data }, params, SHARED_MEMORY);
  return (await runStepsInParallel(steps, threads)) ?? segmentObjects(grey, params);
}

/** regionProps of a label map with `threads` threads in all; the same records, in label order. */
export async function regionPropsInParallel(
  labels: Int32Array,
  width: number,
  height: number,
  options: RegionPropsOptions = {},
  threads = segmentationThreads(),
): Promise<RegionProps[]> {
  if (threads <= 1) return regionProps(labels, width, height, options);
  const shared = sharedCopy(labels, (n) => new Int32Array(new SharedArrayBuffer(4 * n)));
  const steps = regionPropsSteps(shared, width, height, options, SHARED_MEMORY);
  return (await runStepsInParallel(steps, threads)) ?? regionProps(labels, width, height, options);
}

function sharedCopy<T extends Uint8Array | Int32Array>(values: T, make: (length: number) => T): T {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const copy = make(values.length);
  copy.set(values);
  return copy;
}

/**
 * Runs a pipeline's steps in `threads` parts each: part 0 here, the others on the helpers. Returns
 * null when a helper failed (the caller then runs the pipeline on its own thread); an error of
 * part 0 (bad input) is thrown once the helpers' parts have settled.
 */
async function runStepsInParallel<R>(steps: Generator<PartedStep, R, unknown[]>, threads: number): Promise<R | null> {
  const pool = helperPool(threads - 1);
  let next = steps.next();
  try {
    while (next.done !== true) {
      const step = next.value;
      const remote: Promise<unknown>[] = [];
      for (let part = 1; part < threads; part++) remote.push(pool.run("runPart", { step, part, parts: threads }));
      const local = settle(() => runPart(step, 0, threads));
      const others = await Promise.allSettled(remote);
      if (!local.ok) throw local.error;
      if (others.some((o) => o.status === "rejected")) return null;
      next = steps.next([local.value, ...others.map((o) => (o as PromiseFulfilledResult<unknown>).value)]);
    }
    return next.value;
  } finally {
    if (next.done !== true) steps.return(undefined as never);
  }
}

function settle<T>(run: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}
