/**
 * The start shared by the heavy-work tasks that decode an uploaded image (analyse-encoded-image.ts,
 * src/server/objects/compute-object-set.ts): decoding within the pixel and decoded-bytes limits,
 * a decode failure becoming an {@link ImageAnalysisError}.
 */
import type { Raster } from "~/core/analysis/raster";
import { decodeRaster, ImageDecodeError } from "~/server/codecs/decode-raster";
import type { DecodeLimits } from "~/server/workers/heavy-tasks";
import { ImageAnalysisError } from "./image-analysis-error";

/** Decodes `bytes` within `limits`; "too-large" or "unreadable" {@link ImageAnalysisError}s. */
export async function decodeTaskImage(bytes: Buffer, limits: DecodeLimits): Promise<Raster> {
  try {
    return await decodeRaster(bytes, {
      maxPixels: limits.maxPixels,
      maxDecodedBytes: limits.maxDecodedBytes,
    });
  } catch (error) {
    if (error instanceof ImageDecodeError) {
      throw new ImageAnalysisError(
        `cannot decode the image: ${error.message}`,
        error.reason === "too-large" ? "too-large" : "unreadable",
        { cause: error },
      );
    }
    throw error;
  }
}
