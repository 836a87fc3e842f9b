/**
 * The objects preview off the page's thread: holds the grey image it was sent, and answers each
 * run with the count and the outlines (transferred, not copied).
 */
import type { GreyImage } from "~/core/analysis/raster";
import { computePreview, type PreviewRequest, type PreviewResponse } from "./preview-core";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PreviewRequest>) => void) | null;
  postMessage: (message: PreviewResponse, transfer: Transferable[]) => void;
};

let grey: GreyImage | null = null;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "image") {
    grey = message.grey;
    return;
  }
  const result = grey
    ? computePreview(grey, message.params)
    : { ok: false as const, error: "No image for the preview yet.", ms: 0 };
  scope.postMessage({ id: message.id, result }, result.ok ? [result.outlines.buffer] : []);
};
