/**
 * Where the classifier's view lies: the analysed area scaled into the resized image (the tiles
 * mode), and a resized rectangle back over the image as a CAM frame. Expected numbers are worked
 * out by hand in the comments; the pixel test checks the promise itself: the resized pixels kept
 * read nothing outside the analysed area (a data bar), and one more row or column would.
 */
import { describe, expect, it } from "vitest";
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { Raster } from "~/core/analysis/raster";
import { resizedRectWithin, resizedSize, resizedWindow } from "~/server/inference/preprocess";
import {
  camFrameOf,
  centreCropFrame,
  frameOfResizedRect,
  mapRectOf,
  storedFrame,
  tiledAreaInResized,
} from "../cam-frame";

/** A 1000 x 740 SEM image whose bottom 56 rows are the instrument's data bar. */
const SEM = { width: 1000, height: 740 };
const ABOVE_BAR: AnalysedArea = { x: 0, y: 0, width: 1000, height: 684 };

describe("the analysed area in the classifier's resized frame", () => {
  it("scales each axis by its own factor and stops before the data bar", () => {
    // Shorter side 740 -> 307; longer side trunc(307 * 1000 / 740) = 414 (so x scales by 414/1000,
    // y by 307/740: not the same). The bar starts at row 684: resized row j reads source rows
    // within 740/307 = 2.4104 of (j + 0.5) * 2.4104, so the last row reading only rows < 684 is
    // j = floor((684 + 0.5 - 2.4104) / 2.4104 - 0.5) = 282: 283 rows, the full 414 columns.
    expect(resizedSize(SEM.width, SEM.height)).toEqual({ width: 414, height: 307 });
    const rect = tiledAreaInResized(ABOVE_BAR, SEM);
    expect(rect).toEqual({ left: 0, top: 0, width: 414, height: 283 });
    // Back over the image: 283 resized rows of 740/307 px = 682.15 px,
    // inside the 684 analysed rows.
    const frame = frameOfResizedRect(rect, SEM);
    expect(frame.x).toBe(0);
    expect(frame.y).toBe(0);
    expect(frame.width).toBeCloseTo(1000, 6);
    expect(frame.height).toBeCloseTo((283 * 740) / 307, 6);
    expect(frame.height).toBeLessThanOrEqual(ABOVE_BAR.height);
  });

  it("rounds every inner edge inwards, and takes the whole image without an area", () => {
    // x: first = ceil((37 - 0.5 + 2.4155) / 2.4155 - 0.5) = 16, last = floor((937 + 0.5 - 2.4155) /
    // 2.4155 - 0.5) = 386; y: first = ceil((11 - 0.5 + 2.4104) / 2.4104 - 0.5) = 5, last = 272.
    const area = { x: 37, y: 11, width: 900, height: 650 };
    const rect = tiledAreaInResized(area, SEM);
    expect(rect).toEqual({ left: 16, top: 5, width: 371, height: 268 });
    const frame = frameOfResizedRect(rect, SEM);
    expect(frame.x).toBeGreaterThanOrEqual(area.x);
    expect(frame.y).toBeGreaterThanOrEqual(area.y);
    expect(frame.x + frame.width).toBeLessThanOrEqual(area.x + area.width);
    expect(frame.y + frame.height).toBeLessThanOrEqual(area.y + area.height);
    expect(tiledAreaInResized(null, SEM)).toEqual({ left: 0, top: 0, width: 414, height: 307 });
    expect(tiledAreaInResized({ x: 0, y: 0, ...SEM }, SEM)).toEqual({ left: 0, top: 0, width: 414, height: 307 });
    // Upsampling (a 128 x 100 image to 392 x 307) reads one source pixel around each centre:
    // the last row reading only rows < 90 is floor((90 + 0.5 - 1) / (100 / 307) - 0.5) = 274.
    expect(tiledAreaInResized({ x: 0, y: 0, width: 128, height: 90 }, { width: 128, height: 100 })).toEqual({
      left: 0,
      top: 0,
      width: 392,
      height: 275,
    });
    expect(() => tiledAreaInResized({ x: 0, y: 0, width: 1000, height: 741 }, SEM)).toThrow(RangeError);
  });

  it("keeps exactly the resized pixels that read nothing outside the area", () => {
    const width = 331;
    const height = 245;
    const noise = (seed: number) => {
      let state = seed;
      return Uint8Array.from({ length: width * height }, () => {
        state = (state * 1103515245 + 12345) >>> 0;
        return state >>> 24;
      });
    };
    const inside = noise(1);
    const outside = noise(2);
    for (const area of [
      { left: 0, top: 0, width, height: 200 },
      { left: 13, top: 7, width: 290, height: 201 },
      { left: 40, top: 0, width: 291, height: 245 },
    ]) {
      // Same pixels inside the area, different ones outside it.
      const other = Uint8Array.from(inside, (v, i) => {
        const x = i % width;
        const y = Math.floor(i / width);
        const within = x >= area.left && x < area.left + area.width && y >= area.top && y < area.top + area.height;
        return within ? v : outside[i]!;
      });
      const raster = (data: Uint8Array): Raster => ({ width, height, channels: 1, bitDepth: 8, data });
      const same = (window: { left: number; top: number; width: number; height: number }) => {
        const a = resizedWindow(raster(other), window);
        const b = resizedWindow(raster(inside), window);
        return a.every((v, i) => v === b[i]);
      };
      const rect = resizedRectWithin(area, width, height);
      expect(same(rect)).toBe(true);
      // One more row or column at an inner edge already reads outside.
      const resized = resizedSize(width, height);
      const grown: (typeof rect)[] = [];
      if (rect.left > 0) grown.push({ ...rect, left: rect.left - 1, width: rect.width + 1 });
      if (rect.top > 0) grown.push({ ...rect, top: rect.top - 1, height: rect.height + 1 });
      if (rect.left + rect.width < resized.width) grown.push({ ...rect, width: rect.width + 1 });
      if (rect.top + rect.height < resized.height) grown.push({ ...rect, height: rect.height + 1 });
      expect(grown.length).toBeGreaterThan(0);
      for (const bigger of grown) expect(same(bigger)).toBe(false);
    }
  });
});

describe("CAM frames", () => {
  it("places the centre crop as the reference takes it", () => {
    // 1536 x 1103 resizes to 427 x 307; offsets round half to even: (427 - 256) / 2 = 85.5 -> 86,
    // (307 - 256) / 2 = 25.5 -> 26; one resized pixel is 1536 / 427 by 1103 / 307 original px.
    const frame = centreCropFrame({ width: 1536, height: 1103 });
    expect(frame.x).toBeCloseTo((86 * 1536) / 427, 6);
    expect(frame.y).toBeCloseTo((26 * 1103) / 307, 6);
    expect(frame.width).toBeCloseTo((256 * 1536) / 427, 6);
    expect(frame.height).toBeCloseTo((256 * 1103) / 307, 6);
  });

  it("stores frames to a millionth of a pixel", () => {
    expect(storedFrame({ x: 190.82125603864733, y: 0, width: 618.3574879227053, height: 1 / 3 })).toEqual({
      x: 190.821256,
      y: 0,
      width: 618.357488,
      height: 0.333333,
    });
  });

  it("reads a stored frame, else (stored before frames) the centre crop; other maps cover the image", () => {
    const stored = { x: 0, y: 0, width: 1000, height: 682.15 };
    expect(camFrameOf({ frame: stored }, SEM)).toEqual(stored);
    expect(camFrameOf({}, SEM)).toEqual(centreCropFrame(SEM));
    expect(mapRectOf({ role: "cam", camFrame: stored }, SEM)).toEqual(stored);
    expect(mapRectOf({ role: "cam", camFrame: null }, SEM)).toEqual(centreCropFrame(SEM));
    expect(mapRectOf({ role: "segmentation", camFrame: null }, SEM)).toEqual({ x: 0, y: 0, ...SEM });
  });
});
