"use client";

import { useEffect, useRef, useState } from "react";
import { rgbaToCanvas } from "~/components/canvas/colorize-canvas";
import type { ImagePyramid } from "~/components/canvas/image-pyramid";
import type { GreyImage } from "~/core/analysis/raster";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import {
  cappedSize,
  greyFromRgba,
  PREVIEW_MAX_SIDE,
  scaleParams,
  STORED_MAX_SIDE,
  type PreviewRequest,
  type PreviewResponse,
  type PreviewResult,
} from "./preview-core";

/** Wait this long after the last edit before computing the preview, ms. */
export const PREVIEW_DEBOUNCE_MS = 250;

export type ObjectsPreview = {
  status: "computing" | "done" | "error";
  /** Objects found in the preview (the last answer's while computing; null before any). */
  count: number | null;
  error: string | null;
  /** Outlines on the preview's grid, stretched over the image. */
  canvas: HTMLCanvasElement | null;
  /** Size of the preview's grey image. */
  size: { width: number; height: number };
  /** From the request to its answer, ms (the worker's computation plus the messages). */
  ms: number | null;
};

/** The display image drawn at the preview's size and turned grey (one drawImage, one read). */
function previewGrey(pyramid: ImagePyramid): GreyImage | null {
  const full = pyramid.levels[0]!;
  const { width, height } = cappedSize(full.width, full.height, PREVIEW_MAX_SIDE);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(full.source, 0, 0, width, height);
  return greyFromRgba(context.getImageData(0, 0, width, height).data, width, height);
}

/**
 * The worker and its traffic: one request in flight at a time; requests made meanwhile keep only
 * the latest, and an answer to anything but the latest request is dropped.
 */
class PreviewChannel {
  readonly worker: Worker;
  private inFlight: { id: number; key: string; sentAt: number } | null = null;
  private waiting: { key: string; params: ObjectSegmentationParams } | null = null;
  private nextId = 1;
  private latestKey: string | null = null;

  constructor(
    readonly pyramid: ImagePyramid,
    readonly size: { width: number; height: number },
    grey: GreyImage,
    onAnswer: (key: string, result: PreviewResult, ms: number | null) => void,
  ) {
    this.worker = new Worker(new URL("./objects-preview.worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<PreviewResponse>) => {
      const sent = this.inFlight;
      this.inFlight = null;
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) this.send(waiting);
      else if (sent && sent.key === this.latestKey)
        onAnswer(sent.key, event.data.result, performance.now() - sent.sentAt);
    };
    this.worker.onerror = (event) => {
      this.inFlight = null;
      const error = event.message || "The preview could not run in this browser.";
      onAnswer(this.latestKey ?? "", { ok: false, error, ms: 0 }, null);
    };
    const image: PreviewRequest = { type: "image", grey };
    this.worker.postMessage(image, [grey.data.buffer]);
  }

  request(key: string, params: ObjectSegmentationParams): void {
    this.latestKey = key;
    if (this.inFlight) this.waiting = { key, params };
    else this.send({ key, params });
  }

  private send(next: { key: string; params: ObjectSegmentationParams }): void {
    const id = this.nextId++;
    this.inFlight = { id, key: next.key, sentAt: performance.now() };
    const request: PreviewRequest = { type: "run", id, params: next.params };
    this.worker.postMessage(request);
  }
}

/**
 * Live preview of the segmentation parameters while they are edited: debounced, computed in a
 * Web Worker on the display image brought down to PREVIEW_MAX_SIDE px (parameters rescaled from
 * the stored computation's grid). `params` null: no preview.
 */
export function useObjectsPreview(options: {
  pyramid: ImagePyramid | null;
  image: { width: number; height: number };
  /** Width of the stored computation's grid (the set's label map), for rescaling the params. */
  storedWidth: number | null;
  params: ObjectSegmentationParams | null;
}): ObjectsPreview | null {
  const { pyramid, params, image } = options;
  const storedWidth = options.storedWidth ?? cappedSize(image.width, image.height, STORED_MAX_SIDE).width;
  const [preview, setPreview] = useState<(ObjectsPreview & { key: string }) | null>(null);
  const channel = useRef<PreviewChannel | null>(null);
  useEffect(() => () => channel.current?.worker.terminate(), []);

  const key = params ? JSON.stringify(params) : null;
  useEffect(() => {
    if (!pyramid || !params || key === null) return;
    const timer = setTimeout(() => {
      if (channel.current?.pyramid !== pyramid) {
        channel.current?.worker.terminate();
        channel.current = null;
        const grey = previewGrey(pyramid);
        if (!grey) return;
        const size = { width: grey.width, height: grey.height };
        channel.current = new PreviewChannel(pyramid, size, grey, (answered, result, ms) =>
          setPreview({
            key: answered,
            status: result.ok ? "done" : "error",
            count: result.ok ? result.count : null,
            error: result.ok ? null : result.error,
            canvas: result.ok ? rgbaToCanvas(result.outlines, result.width, result.height) : null,
            size,
            ms,
          }),
        );
      }
      const live = channel.current;
      setPreview((current) => ({
        key,
        status: "computing",
        count: current?.count ?? null,
        error: null,
        canvas: current?.canvas ?? null,
        size: live.size,
        ms: current?.ms ?? null,
      }));
      live.request(key, scaleParams(params, live.size.width / storedWidth));
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `key` names the params.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pyramid, key, storedWidth]);

  return params && preview ? preview : null;
}
