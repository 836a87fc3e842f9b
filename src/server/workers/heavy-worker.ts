/**
 * The entry of every heavy-work thread (heavy-pool.ts starts it through bootstrap.mjs): the
 * handlers of the tasks named in heavy-tasks.ts. Nothing here reads the environment: every limit
 * comes with the task, as the thread's copy of process.env may be older than the caller's.
 */
import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { analyseEncodedImages } from "~/server/analysis/analyse-encoded-image";
import { makeThumbnail } from "~/server/codecs/make-thumbnail";
import { IMAGE_ERROR_MESSAGE, ImageProbeError, probeImage, sniffImageFormat } from "~/server/codecs/probe-image";
import { renderDisplay, renderSamples16 } from "~/server/codecs/render-display";
import { findAnalysedArea } from "~/server/images/find-analysed-area";
import { computeObjectSet } from "~/server/objects/compute-object-set";
import { embedImageTask } from "~/server/inference/sam2/embed-image-task";
import { decodePromptTask } from "~/server/inference/sam2/decode-prompt-task";
import { computeSam2ObjectSet } from "~/server/objects/compute-sam2-object-set";
import type { ByteSource, DecodeLimits, HeavyTasks } from "./heavy-tasks";
import { serveTasks } from "./serve-tasks";

async function load(source: ByteSource): Promise<Buffer> {
  return "file" in source ? readFile(source.file) : Buffer.from(source.bytes);
}

/**
 * A file (a zip entry on disk) is refused from its size and first bytes before it is read whole:
 * an archive of hundreds of MiB of junk costs no memory here.
 */
async function precheckFile(source: ByteSource, limits: DecodeLimits): Promise<void> {
  if (!("file" in source)) return;
  const handle = await open(source.file, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new ImageProbeError("EMPTY", IMAGE_ERROR_MESSAGE.empty);
    if (size > limits.maxBytes) {
      throw new ImageProbeError("TOO_LARGE", IMAGE_ERROR_MESSAGE.tooLarge(size, limits.maxBytes));
    }
    const head = Buffer.alloc(Math.min(size, 64));
    await handle.read(head, 0, head.length, 0);
    if (sniffImageFormat(head) === null) {
      throw new ImageProbeError("UNSUPPORTED_FORMAT", IMAGE_ERROR_MESSAGE.unsupported);
    }
  } finally {
    await handle.close();
  }
}

function probeOptions(limits: DecodeLimits) {
  return { maxBytes: limits.maxBytes, maxPixels: limits.maxPixels, maxDecodedBytes: limits.maxDecodedBytes };
}

/** sharp's output buffers wrap native memory, which cannot be transferred: one plain copy. */
function transferable(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

serveTasks<HeavyTasks>({
  "image.probe": async ({ source, limits }) => {
    await precheckFile(source, limits);
    const bytes = await load(source);
    const probe = await probeImage(bytes, probeOptions(limits));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return { output: { probe, sha256, byteSize: bytes.length } };
  },
  "image.thumbnail": async ({ source, limits, probe }) => {
    const bytes = await load(source);
    const thumbnail = await makeThumbnail(bytes, probe, {
      maxPixels: limits.maxPixels,
      maxDecodedBytes: limits.maxDecodedBytes,
    });
    const png = transferable(thumbnail.png);
    return {
      output: { png, width: thumbnail.width, height: thumbnail.height, window: thumbnail.window },
      transfer: [png],
    };
  },
  "image.display": async ({ source, limits, maxSide }) => {
    const bytes = await load(source);
    const probe = await probeImage(bytes, probeOptions(limits));
    const display = await renderDisplay(bytes, probe, {
      maxPixels: limits.maxPixels,
      maxDecodedBytes: limits.maxDecodedBytes,
      maxSide,
    });
    const png = transferable(display.png);
    return {
      output: {
        png,
        width: display.width,
        height: display.height,
        sourceWidth: probe.width,
        sourceHeight: probe.height,
      },
      transfer: [png],
    };
  },
  "image.samples": async ({ source, limits, maxSide }) => {
    const bytes = await load(source);
    const probe = await probeImage(bytes, probeOptions(limits));
    const samples = await renderSamples16(bytes, probe, {
      maxPixels: limits.maxPixels,
      maxDecodedBytes: limits.maxDecodedBytes,
      maxSide,
    });
    const png = transferable(samples.png);
    return { output: { png, width: samples.width, height: samples.height }, transfer: [png] };
  },
  "image.analysedArea": async ({ source, ...input }) => ({ output: await findAnalysedArea(await load(source), input) }),
  "analysis.compute": async ({ sources, ...input }) =>
    analyseEncodedImages(await Promise.all(sources.map(load)), input),
  "objects.compute": async ({ source, ...input }) => computeObjectSet(await load(source), input),
  "sam2.embed": async ({ source, ...input }) => embedImageTask(await load(source), input),
  "sam2.decode": decodePromptTask,
  "sam2.generate": async ({ source, ...input }) => computeSam2ObjectSet(await load(source), input),
});
