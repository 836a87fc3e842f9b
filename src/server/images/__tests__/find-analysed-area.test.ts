/**
 * findAnalysedArea on every micrograph of ../shared (data/ and fixtures/reference/*\/input.*),
 * the way upload runs it (decode, the analysis grey image, metadata first, else detectDataBar):
 * the UCSD lithium images (FEI Quanta, 1536 x 1103, rows 1024-1102 the data bar) must lose exactly
 * their bar; the Ag dendrite and GaAs nanowire images (no bar; some letterboxed) must keep the
 * whole image. Skipped, saying so, where ../shared is absent.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sharedRoot } from "~/core/analysis/__tests__/reference-fixtures";
import { probeImage } from "~/server/codecs/probe-image";
import { analysedAreaFromMetadata, findAnalysedArea } from "../find-analysed-area";

const limits = { maxBytes: 64 * 1024 * 1024, maxPixels: 100_000_000, maxDecodedBytes: 1024 * 1024 * 1024 };
const MICROGRAPH = /\.(png|jpe?g|tiff?)$/i;

function micrographs(): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const file = path.join(directory, entry);
      if (statSync(file).isDirectory()) {
        if (entry !== "masks_rasterized" && entry !== "labels") walk(file);
      } else if (MICROGRAPH.test(entry)) files.push(file);
    }
  };
  const data = path.join(sharedRoot, "data");
  const reference = path.join(sharedRoot, "fixtures/reference");
  try {
    walk(data);
    for (const fixture of readdirSync(reference)) {
      if (!statSync(path.join(reference, fixture)).isDirectory()) continue;
      const input = readdirSync(path.join(reference, fixture)).find((entry) => /^input\./.test(entry));
      if (input) files.push(path.join(reference, fixture, input));
    }
  } catch {
    return [];
  }
  return files.sort();
}

const files = micrographs();
/** FEI images of the UCSD lithium set: the data bar is below row 1024. */
const hasDataBar = (file: string) => /li_sem_ucsd|li_plated_/.test(file);

describe.skipIf(files.length === 0)("findAnalysedArea on the shared micrographs", () => {
  if (files.length === 0) console.warn(`skipped: no micrographs under ${sharedRoot} (../shared is absent)`);

  it("finds them (the scan itself works)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(hasDataBar).length).toBeGreaterThan(50);
  });

  it("leaves out exactly the FEI data bar, and nothing of images without one", async () => {
    const found: Record<string, string> = {};
    for (const file of files) {
      const bytes = readFileSync(file);
      const probe = await probeImage(bytes, limits);
      const area = await findAnalysedArea(bytes, { limits, probe });
      found[path.relative(sharedRoot, file)] = area
        ? `${area.width}x${area.height}+${area.x}+${area.y} ${area.source}`
        : "whole image";
    }
    const expected = Object.fromEntries(
      files.map((file) => [
        path.relative(sharedRoot, file),
        hasDataBar(file) ? `1536x1024+0+0 ${file.endsWith(".tif") ? "metadata" : "detected"}` : "whole image",
      ]),
    );
    expect(found).toEqual(expected);
  }, 120_000);
});

describe("analysedAreaFromMetadata", () => {
  const metadata = (imageHeightPx: unknown) => ({ instrument: { imageHeightPx } }) as never;
  it("takes the FEI scanned height when it is shorter than the file", () => {
    expect(analysedAreaFromMetadata({ width: 1536, height: 1103, metadata: metadata(1024) })).toEqual({
      x: 0,
      y: 0,
      width: 1536,
      height: 1024,
      source: "metadata",
    });
  });
  it("says the whole image when the scan fills the file, nothing when the metadata is silent", () => {
    expect(analysedAreaFromMetadata({ width: 100, height: 80, metadata: metadata(80) })).toBeNull();
    expect(analysedAreaFromMetadata({ width: 100, height: 80, metadata: {} })).toBeUndefined();
    expect(analysedAreaFromMetadata({ width: 100, height: 80, metadata: metadata("80") })).toBeUndefined();
    expect(analysedAreaFromMetadata({ width: 100, height: 80, metadata: metadata(0) })).toBeUndefined();
  });
});
