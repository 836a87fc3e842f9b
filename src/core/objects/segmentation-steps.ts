/**
 * The steps of segmentObjects that can run in parts on several threads, and the serial driver.
 *
 * segmentObjects is written once, as a generator (segmentationSteps in segment-objects.ts): at
 * each step that can be split it yields a {@link PartedStep} (a task name and its input) and
 * receives the outputs of the step's parts, in part order, which it merges. A driver decides how
 * many parts: {@link runStepsSerially} runs one part in the calling thread; the server's
 * (src/server/objects/parallel-segmentation.ts) runs one part per thread on shared memory. Each
 * task writes disjoint pixels of the planes it is given and returns a small value, and every merge
 * gives the same result for any number of parts, so the labels never depend on the thread count.
 *
 * Pure: typed arrays in, typed arrays out, no threads here.
 */
import { greyHistogram } from "../analysis/histogram";
import { phaseSpreadRows, type PhaseImage } from "./auto-polarity";
import { gaussianBlurRows } from "./gaussian-blur";
import { labelRunsOfRows } from "./label-runs";
import { objectPropsPart, type PreparedRegionProps, type RegionProps } from "./region-props";
import {
  componentDistancesPart,
  splitComponentsPart,
  type PreparedSplit,
  type SplitParams,
  type SplitPart,
} from "./split-touching";

/** Rows [y0, y1) of part `part` of `parts` of an image `height` rows high. */
export function rowBand(height: number, part: number, parts: number): [number, number] {
  return [Math.floor((height * part) / parts), Math.floor((height * (part + 1)) / parts)];
}

/**
 * The smoothed image's rows of this part and their 256-bin histogram (sigma 0: `smoothed` is the
 * grey image itself, only counted).
 */
function smoothRows(
  input: { grey: Uint8Array; width: number; height: number; sigma: number; smoothed: Uint8Array },
  part: number,
  parts: number,
): Uint32Array {
  const { grey, width, height, sigma, smoothed } = input;
  const [y0, y1] = rowBand(height, part, parts);
  if (sigma > 0) gaussianBlurRows(grey, width, height, sigma, y0, y1, smoothed);
  return greyHistogram(smoothed.subarray(y0 * width, y1 * width));
}

/**
 * The 0/1 map smoothed > threshold on this part's rows and its number of 1s there; with
 * `phases`, also this part's sums of the phase spreads (decidePolarity), which read the smoothed
 * image themselves, so one step does both.
 */
function thresholdRows(
  input: {
    smoothed: Uint8Array;
    width: number;
    height: number;
    threshold: number;
    bright: Uint8Array;
    phases: PhaseImage | null;
  },
  part: number,
  parts: number,
): { count: number; spreadSums: Float64Array | null } {
  const { smoothed, width, height, threshold, bright, phases } = input;
  const [y0, y1] = rowBand(height, part, parts);
  // grey > threshold <=> grey >= floor(threshold) + 1 for integer grey levels.
  const lastDark = Math.floor(threshold);
  let count = 0;
  for (let i = y0 * width, end = y1 * width; i < end; i++) {
    const b = (lastDark - smoothed[i]!) >>> 31; // 1 when smoothed[i] > lastDark
    bright[i] = b;
    count += b;
  }
  return { count, spreadSums: phases === null ? null : phaseSpreadRows(phases, part, parts) };
}

/** The tasks, by name: each runs part `part` of `parts` of its step. */
export const SEGMENTATION_TASKS = {
  smoothRows,
  thresholdRows,
  labelRunsRows: (input: { labels: Int32Array; width: number; height: number }, part: number, parts: number) =>
    labelRunsOfRows(input.labels, input.width, ...rowBand(input.height, part, parts)),
  objectProps: (input: PreparedRegionProps, part: number, parts: number): RegionProps[] =>
    objectPropsPart(input, part, parts),
  // These two ignore part and parts: their threads claim chunks of components (split-touching.ts).
  componentDistances: (input: PreparedSplit & { edt: Float64Array; nextChunk: Int32Array }): null => {
    componentDistancesPart(input);
    return null;
  },
  splitComponents: (
    input: PreparedSplit & { edt: Float64Array; params: SplitParams; nextChunk: Int32Array },
  ): SplitPart[] => splitComponentsPart(input),
} as const;

type Tasks = typeof SEGMENTATION_TASKS;
type SegmentationTaskName = keyof Tasks;
export type TaskInput<K extends SegmentationTaskName> = Parameters<Tasks[K]>[0];
export type TaskOutput<K extends SegmentationTaskName> = ReturnType<Tasks[K]>;

/** A step a driver may run in parts. */
export type PartedStep = { [K in SegmentationTaskName]: { task: K; input: TaskInput<K> } }[SegmentationTaskName];

/** Runs part `part` of `parts` of a step (what each thread of a driver calls). */
export function runPart(step: PartedStep, part: number, parts: number): unknown {
  const run = SEGMENTATION_TASKS[step.task] as (input: unknown, part: number, parts: number) => unknown;
  return run(step.input, part, parts);
}

/** Yields a step and returns its parts' outputs (the pipeline's side of a step). */
export function* parted<K extends SegmentationTaskName>(
  task: K,
  input: TaskInput<K>,
): Generator<PartedStep, TaskOutput<K>[], unknown[]> {
  const outputs = yield { task, input } as PartedStep;
  return outputs as TaskOutput<K>[];
}

/** Where the pipeline's large planes live: plain memory, or memory shared with other threads. */
export type PlaneAllocator = {
  bytes(length: number): Uint8Array;
  int32(length: number): Int32Array;
  float64(length: number): Float64Array;
};

export const PLAIN_MEMORY: PlaneAllocator = {
  bytes: (length) => new Uint8Array(length),
  int32: (length) => new Int32Array(length),
  float64: (length) => new Float64Array(length),
};

/** Runs a pipeline in the calling thread, each step in one part. */
export function runStepsSerially<R>(steps: Generator<PartedStep, R, unknown[]>): R {
  let next = steps.next();
  while (next.done !== true) next = steps.next([runPart(next.value, 0, 1)]);
  return next.value;
}
