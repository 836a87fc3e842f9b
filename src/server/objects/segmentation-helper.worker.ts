/**
 * The entry of the segmentation helper threads (parallel-segmentation.ts starts them through the
 * worker pool's bootstrap): each request runs one part of one step of segmentObjects on planes
 * shared with the calling thread.
 */
import { runPart } from "~/core/objects/segmentation-steps";
import { serveTasks } from "~/server/workers/serve-tasks";
import type { SegmentationHelperTasks } from "./parallel-segmentation";

serveTasks<SegmentationHelperTasks>({
  runPart: ({ step, part, parts }) => Promise.resolve({ output: runPart(step, part, parts) }),
});
