/**
 * The raw values of an image in the browser, once per URL: a 16-bit image's samples come from the
 * "samples" route as a 16-bit PNG (decoded here: canvases hold 8 bits); an 8-bit image's are its
 * display's pixels, read without colour management. Held at the display's size (at most
 * DISPLAY_MAX_SIDE on the long side), like the display pyramid.
 */
import { cachedLoad } from "./cached-load";
import { decodePng16 } from "./decode-png16";
import { fetchPngPixels } from "./map-pixels";
import { samplesFromRgba, type RawSamples } from "./window-level";

const load16: (url: string) => Promise<RawSamples> = cachedLoad(async (url) => {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Could not load the image's values (HTTP ${response.status})`);
  const png = await decodePng16(new Uint8Array(await response.arrayBuffer()));
  return { ...png, bitDepth: 16 };
});

const load8: (url: string) => Promise<RawSamples> = cachedLoad(async (url) => {
  const { width, height, rgba } = await fetchPngPixels(url, "the image's values");
  return samplesFromRgba(rgba, width, height);
});

/** `samplesUrl` for 16-bit images, `displayUrl` for the rest (their display holds the stored values). */
export function loadRawSamples(image: { bitDepth: number; samplesUrl: string; displayUrl: string }) {
  return image.bitDepth === 16 ? load16(image.samplesUrl) : load8(image.displayUrl);
}
