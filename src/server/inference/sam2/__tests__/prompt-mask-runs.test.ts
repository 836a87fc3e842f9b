/**
 * A click's mask equals SAM 2's (torch bilinear upsampling of the 256 x 256 logits,
 * align_corners=False, then > 0) on enlarged, shrunk and elongated grids, run-length encoded as a
 * mask region: pinned to scripts/reference/sam2_prompt_mask.py's output. Only pixels whose logit
 * lies within 1e-4 of the threshold may differ (float32 evaluation order).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeMaskRuns, encodeMaskRuns } from "~/core/regions/region-geometry";
import { promptMaskRuns } from "../prompt-mask-runs";
import { repoRoot } from "./sam2-fixtures";

type Case = { width: number; height: number; area: number; runs: number[]; nearThreshold: number[] };
const { cases } = JSON.parse(
  readFileSync(path.join(repoRoot, "tests/fixtures/sam2-reference/prompt-mask.json"), "utf8"),
) as { cases: Case[] };

/** The reference script's logits: three signed-distance discs, float64 then rounded to float32. */
function lowResLogits(): Float32Array {
  const discs = [
    [100.5, 70.5, 30.0, 0.3],
    [200.25, 180.75, 12.0, 1.1],
    [3.5, 140.5, 20.0, 0.45],
  ] as const;
  const out = new Float32Array(256 * 256);
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) {
      let best = -20;
      for (const [cx, cy, r, s] of discs)
        best = Math.max(best, s * (r - Math.sqrt((x - cx) ** 2 + 1.7 * (y - cy) ** 2)));
      out[y * 256 + x] = best;
    }
  }
  return out;
}

describe("a click's mask from the decoder's low-res logits", () => {
  const logits = lowResLogits();

  it.each(cases.map((c) => [`${c.width} x ${c.height}`, c] as const))("equals torch's on %s", (_, expected) => {
    const mask = promptMaskRuns(logits, expected.width, expected.height);
    const total = expected.width * expected.height;
    expect(mask.runs.reduce((a, b) => a + b, 0)).toBe(total);
    const ours = decodeMaskRuns(mask.runs, total);
    const theirs = decodeMaskRuns(expected.runs, total);
    const near = new Set(expected.nearThreshold);
    let differing = 0;
    for (let i = 0; i < total; i++) if (ours[i] !== theirs[i] && !near.has(i)) differing++;
    expect(differing).toBe(0);
    if (near.size === 0) {
      expect(mask.area).toBe(expected.area);
      // Same runs up to a trailing empty background run.
      expect(encodeMaskRuns(ours)).toEqual(encodeMaskRuns(theirs));
    }
    // Tight box of the foreground.
    let minX = Infinity;
    let maxX = -1;
    let minY = Infinity;
    let maxY = -1;
    for (let i = 0; i < total; i++) {
      if (!ours[i]) continue;
      const x = i % expected.width;
      const y = Math.floor(i / expected.width);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    expect(mask.bbox).toEqual([minX, minY, maxX - minX + 1, maxY - minY + 1]);
  });

  it("gives an empty mask (one background run) when no logit is positive", () => {
    expect(promptMaskRuns(new Float32Array(256 * 256).fill(-3), 30, 20)).toEqual({ runs: [600], area: 0, bbox: null });
  });

  it("refuses logits of another size", () => {
    expect(() => promptMaskRuns(new Float32Array(100), 30, 20)).toThrow(RangeError);
  });
});
