import { describe, expect, it } from "vitest";
import { readPixelSize } from "../pixel-size";
import { FEI_TEXT, encodeGreyTiff } from "./test-images";

const samples = new Uint8Array(16);

function tiff(options: Omit<Parameters<typeof encodeGreyTiff>[0], "width" | "height" | "samples">) {
  return encodeGreyTiff({ width: 4, height: 4, samples, ...options });
}

describe("readPixelSize", () => {
  it("takes the FEI PixelWidth (metres) over the meaningless resolution tags", () => {
    const bytes = tiff({
      textTags: [{ tag: 34682, text: FEI_TEXT, nulTerminated: false }],
      resolution: { pixelsPerUnit: 56, unit: 3 },
    });
    expect(readPixelSize({ bytes, format: "tiff" })).toMatchObject({
      pixelSizeUm: 0.134896,
      source: "FEI tag 34682 [Scan] PixelWidth",
    });
  });

  it("reads FEI text from big-endian TIFFs and from the older 34680 tag", () => {
    const bytes = tiff({ bigEndian: true, textTags: [{ tag: 34680, text: FEI_TEXT }] });
    expect(readPixelSize({ bytes, format: "tiff" }).pixelSizeUm).toBe(0.134896);
  });

  it("records non-square FEI pixels", () => {
    const text = FEI_TEXT.replace("PixelHeight=1.34896e-007", "PixelHeight=2.5e-007");
    const reading = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34682, text }] }), format: "tiff" });
    expect(reading).toMatchObject({ pixelSizeUm: 0.134896, pixelHeightUm: 0.25 });
  });

  it("records the FEI scanned height ([Image] ResolutionY, else VerFieldsize / PixelHeight)", () => {
    const withImage = `${FEI_TEXT}[Image]\r\nResolutionX=1536\r\nResolutionY=1024\r\n`;
    const reading = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34682, text: withImage }] }), format: "tiff" });
    expect(reading.instrument?.imageHeightPx).toBe(1024);
    const withField = FEI_TEXT.replace("[Scan]", "[Scan]\r\nVerFieldsize=0.000138133");
    const fromField = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34682, text: withField }] }), format: "tiff" });
    expect(fromField.instrument?.imageHeightPx).toBe(1024);
    const without = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34682, text: FEI_TEXT }] }), format: "tiff" });
    expect(without.instrument?.imageHeightPx).toBeUndefined();
  });

  it("reads the Zeiss SmartSEM magnification, working distance and detector", () => {
    const text = "Pixel Size = 4.653 nm\r\nMag = 5.00 K X\r\nWD = 8.5 mm\r\nSignal A = SE2\r\n";
    const reading = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34118, text }] }), format: "tiff" });
    expect(reading.instrument).toMatchObject({ magnification: 5000, workingDistanceMm: 8.5, detector: "SE2" });
  });

  it("reads the Zeiss SmartSEM pixel size in nm", () => {
    const text = "\r\nAP_PIXEL_SIZE\r\nPixel Size = 4.653 nm\r\nAP_MANUALKV\r\nEHT = 3.00 kV\r\n";
    const reading = readPixelSize({ bytes: tiff({ textTags: [{ tag: 34118, text }] }), format: "tiff" });
    expect(reading).toMatchObject({
      pixelSizeUm: 0.004653,
      source: "Zeiss tag 34118 Pixel Size",
      instrument: { vendor: "Zeiss", acceleratingVoltageKv: 3 },
    });
  });

  it("reads ImageJ calibration (unit=micron, XResolution in pixels per micron)", () => {
    const bytes = tiff({
      textTags: [{ tag: 270, text: "ImageJ=1.54f\nunit=micron\n" }],
      resolution: { pixelsPerUnit: 4, unit: 1 },
    });
    expect(readPixelSize({ bytes, format: "tiff" })).toMatchObject({ pixelSizeUm: 0.25 });
  });

  it("trusts resolution tags only when they are finer than any screen or print resolution", () => {
    const print = tiff({ resolution: { pixelsPerUnit: 300, unit: 2 } });
    expect(readPixelSize({ bytes: print, format: "tiff" }).pixelSizeUm).toBeNull();
    const microscope = tiff({ resolution: { pixelsPerUnit: 20_000, unit: 3 } }); // 0.5 µm
    expect(readPixelSize({ bytes: microscope, format: "tiff" }).pixelSizeUm).toBeCloseTo(0.5, 9);
    expect(readPixelSize({ bytes: Buffer.alloc(0), format: "png", densityDpi: 72 }).pixelSizeUm).toBeNull();
    expect(readPixelSize({ bytes: Buffer.alloc(0), format: "png", densityDpi: 50_800 }).pixelSizeUm).toBe(0.5);
  });

  it("survives truncated or hostile TIFF directories", () => {
    const bytes = tiff({ textTags: [{ tag: 34682, text: FEI_TEXT }] });
    expect(readPixelSize({ bytes: bytes.subarray(0, 60), format: "tiff" })).toEqual({
      pixelSizeUm: null,
      source: null,
    });
    const hostile = Buffer.from(bytes);
    hostile.writeUInt32LE(0xfffffff0, 4); // IFD offset far beyond the file
    expect(readPixelSize({ bytes: hostile, format: "tiff" }).pixelSizeUm).toBeNull();
  });
});
