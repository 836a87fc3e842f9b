import { describe, expect, it } from "vitest";
import { DEFAULT_OBJECT_PARAMS, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { objectFillRgba, outlineRgba } from "../label-map";
import { cappedSize, computePreview, greyFromRgba, PREVIEW_MAX_SIDE, scaleParams } from "../preview-core";
import { ROW_HEIGHT, rowAfterKey, rowWindow, scrollToRow } from "../table-window";

const params = (patch: Partial<ObjectSegmentationParams> = {}): ObjectSegmentationParams => ({
  ...DEFAULT_OBJECT_PARAMS,
  ...patch,
});

/** Bright discs [x, y, r] on a dark background. */
function discs(width: number, height: number, list: [number, number, number][]) {
  const data = new Uint8Array(width * height).fill(30);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (list.some(([cx, cy, r]) => Math.hypot(x - cx, y - cy) <= r)) data[y * width + x] = 210;
  return { width, height, data };
}

/** `side / pitch` squared objects of 2 x 2 px, one every `pitch` px: a label map and its grey image. */
function tinyObjects(side: number, pitch: number) {
  const labels = new Int32Array(side * side);
  const grey = new Uint8Array(side * side).fill(20);
  let label = 0;
  for (let y = 0; y + 2 <= side; y += pitch)
    for (let x = 0; x + 2 <= side; x += pitch) {
      label++;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        labels[(y + dy) * side + x + dx] = label;
        grey[(y + dy) * side + x + dx] = 220;
      }
    }
  return { labels, grey: { width: side, height: side, data: grey }, count: label };
}

describe("preview core", () => {
  it("caps the long side and keeps the shape", () => {
    expect(cappedSize(640, 480, PREVIEW_MAX_SIDE)).toEqual({ width: 640, height: 480 });
    expect(cappedSize(4096, 2048, PREVIEW_MAX_SIDE)).toEqual({ width: 1024, height: 512 });
    expect(cappedSize(1000, 3000, 1024)).toEqual({ width: 341, height: 1024 });
  });

  it("rescales lengths by the ratio and areas by its square", () => {
    const p = params({ minArea: 40, maxArea: 400, h: 2, smoothSigma: 1, distanceSigma: 0.5 });
    expect(scaleParams(p, 1)).toBe(p);
    expect(scaleParams(p, 0.5)).toEqual({
      ...p,
      minArea: 10,
      maxArea: 100,
      h: 1,
      smoothSigma: 0.5,
      distanceSigma: 0.25,
    });
    expect(scaleParams({ ...p, maxArea: null }, 0.5).maxArea).toBeNull();
  });

  it("turns RGBA grey with the server's weights", () => {
    const grey = greyFromRgba([255, 255, 255, 255, 255, 0, 0, 0, 10, 10, 10, 255], 3, 1);
    expect([...grey.data]).toEqual([255, 76, 10]);
  });

  it("counts and outlines the objects, and follows the parameters", () => {
    const grey = discs(120, 80, [
      [20, 20, 8],
      [60, 40, 10],
      [100, 60, 6],
      [118, 10, 5],
    ]);
    const all = computePreview(grey, params());
    expect(all.ok && all.count).toBe(4);
    if (!all.ok) return;
    expect(all.outlines).toHaveLength(120 * 80 * 4);
    // The disc at the right edge goes with excludeBorder; the smallest with a min area.
    const noBorder = computePreview(grey, params({ excludeBorder: true }));
    expect(noBorder.ok && noBorder.count).toBe(3);
    const big = computePreview(grey, params({ minArea: Math.PI * 7 * 7 }));
    expect(big.ok && big.count).toBe(2);
    // A threshold above everything: nothing.
    const none = computePreview(grey, params({ threshold: { method: "manual", value: 250 }, polarity: "bright" }));
    expect(none.ok && none.count).toBe(0);
  });

  it("reports invalid parameters as a message, never throws", () => {
    const result = computePreview(discs(10, 10, []), params({ minArea: 50, maxArea: 10 }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/maxArea must be >= minArea/);
  });

  it("previews 100 000 objects", () => {
    // 950 / 3 = 317 per side: 100 489 objects on a 950 x 950 grey (under PREVIEW_MAX_SIDE).
    const { grey, count } = tinyObjects(950, 3);
    expect(count).toBeGreaterThanOrEqual(100_000);
    const start = performance.now();
    const result = computePreview(grey, params({ split: false, smoothSigma: 0, minArea: 1 }));
    const ms = performance.now() - start;
    expect(result.ok && result.count).toBe(count);
    // Off the page's thread, but still bounded (single core, CI).
    expect(ms).toBeLessThan(20_000);
  });
});

describe("outlines of many objects", () => {
  it("draws 100 000 objects as one RGBA image, fast", () => {
    const { labels, count } = tinyObjects(950, 3);
    const start = performance.now();
    const out = outlineRgba({ width: 950, height: 950, labels }, (label) => [label % 256, 0, 0, 255]);
    const ms = performance.now() - start;
    // Every pixel of a 2 x 2 object is on its outline.
    let opaque = 0;
    for (let i = 3; i < out.length; i += 4) if (out[i] === 255) opaque++;
    expect(opaque).toBe(count * 4);
    expect(ms).toBeLessThan(2_000);
  });
});

describe("the selected object's fill", () => {
  it("covers its box only", () => {
    // 4 x 3: object 5 in rows 1-2, columns 1-2 (bbox [1, 1, 3, 3)), object 6 elsewhere.
    const labels = new Int32Array([6, 6, 0, 0, 0, 5, 5, 0, 0, 5, 6, 0]);
    const fill = objectFillRgba({ width: 4, height: 3, labels }, 5, [1, 1, 3, 3], [9, 9, 9, 200]);
    expect(fill).toHaveLength(2 * 2 * 4);
    expect([fill[3], fill[7], fill[11], fill[15]]).toEqual([200, 200, 200, 0]);
  });
});

describe("objects table window", () => {
  it("draws only the rows in view of 100 000", () => {
    const { start, end } = rowWindow(100_000, 50_000 * ROW_HEIGHT, 320);
    expect(start).toBeLessThanOrEqual(50_000);
    expect(end).toBeGreaterThan(50_000 + 320 / ROW_HEIGHT);
    expect(end - start).toBeLessThan(40);
    expect(rowWindow(5, 0, 320)).toEqual({ start: 0, end: 5 });
    expect(rowWindow(0, 100, 320)).toEqual({ start: 0, end: 0 });
    // Scrolled past the end (rows removed): clamped.
    const past = rowWindow(10, 99_999, 320);
    expect(past.start).toBeLessThanOrEqual(past.end);
    expect(past.end).toBe(10);
  });

  it("scrolls a row into view only when it is out of view", () => {
    const header = 24;
    expect(scrollToRow(0, 0, 320, header)).toBe(0);
    expect(scrollToRow(3, 0, 320, header)).toBe(0);
    expect(scrollToRow(100, 0, 320, header)).toBe(101 * ROW_HEIGHT - (320 - header));
    expect(scrollToRow(10, 5000, 320, header)).toBe(10 * ROW_HEIGHT);
  });

  it("moves the selection with the keys", () => {
    expect(rowAfterKey("ArrowDown", -1, 10, 5)).toBe(0);
    expect(rowAfterKey("ArrowDown", 3, 10, 5)).toBe(4);
    expect(rowAfterKey("ArrowDown", 9, 10, 5)).toBe(9);
    expect(rowAfterKey("ArrowUp", 0, 10, 5)).toBe(0);
    expect(rowAfterKey("ArrowUp", 4, 10, 5)).toBe(3);
    expect(rowAfterKey("PageDown", 4, 10, 5)).toBe(9);
    expect(rowAfterKey("PageUp", 4, 10, 5)).toBe(0);
    expect(rowAfterKey("Home", 4, 10, 5)).toBe(0);
    expect(rowAfterKey("End", 4, 10, 5)).toBe(9);
    expect(rowAfterKey("a", 4, 10, 5)).toBeNull();
    expect(rowAfterKey("ArrowDown", -1, 0, 5)).toBeNull();
  });
});
