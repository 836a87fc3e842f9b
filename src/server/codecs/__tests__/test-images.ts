/**
 * Test images built in memory: sharp for PNG/JPEG/8-bit TIFF, small hand-written encoders for
 * what sharp cannot write (BMP; TIFFs with vendor text tags or resolution tags), and a PNG whose
 * header declares dimensions its data does not have (a decompression-bomb stand-in).
 * `seed` varies the pixels so that images from different tests never share a hash.
 */
import { crc32 } from "node:zlib";
import sharp from "sharp";

function greyPattern(width: number, height: number, seed: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7 + seed * 13) % 256;
  return pixels;
}

function rgbPattern(width: number, height: number, seed: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 5 + seed * 31) % 256;
  return pixels;
}

/** Sharp on the seeded RGB pattern, ready for an output format. */
const rgbImage = (width: number, height: number, seed: number) =>
  sharp(rgbPattern(width, height, seed), { raw: { width, height, channels: 3 } });

/** Sharp on the seeded grey pattern (one channel, kept grey on output). */
const greyImage = (width: number, height: number, seed: number) =>
  sharp(greyPattern(width, height, seed), { raw: { width, height, channels: 1 } }).toColourspace("b-w");

export function pngRgb(width: number, height: number, seed = 0): Promise<Buffer> {
  return rgbImage(width, height, seed).png().toBuffer();
}

export function pngGrey(width: number, height: number, seed = 0): Promise<Buffer> {
  return greyImage(width, height, seed).png().toBuffer();
}

export function jpegRgb(width: number, height: number, seed = 0): Promise<Buffer> {
  return rgbImage(width, height, seed).jpeg().toBuffer();
}

export function tiffGrey8(width: number, height: number, seed = 0): Promise<Buffer> {
  // sharp's TIFF default is JPEG compression; LZW keeps the test exact.
  return greyImage(width, height, seed).tiff({ compression: "lzw" }).toBuffer();
}

/** 16-bit grey PNG through sharp (grey16 keeps the depth on output). */
export function pngGrey16(samples: Uint16Array, width: number, height: number): Promise<Buffer> {
  return sharp(samples, { raw: { width, height, channels: 1 } })
    .toColourspace("grey16")
    .png()
    .toBuffer();
}

/** A multi-page 8-bit TIFF, pages of the same size with different content. */
export async function multiPageTiff(width: number, height: number, pageCount: number, seed = 0): Promise<Buffer> {
  const pages = await Promise.all(
    Array.from({ length: pageCount }, (_, page) => pngGrey(width, height, seed * 100 + page)),
  );
  return sharp(pages, { join: { animated: true } })
    .tiff({ compression: "lzw" })
    .toBuffer();
}

/** Samples spread over `levels` consecutive values starting at `base` (an SEM-like 16-bit image). */
export function deep16Samples(width: number, height: number, base: number, levels: number): Uint16Array {
  const samples = new Uint16Array(width * height);
  for (let index = 0; index < samples.length; index += 1) samples[index] = base + ((index * 7) % levels);
  return samples;
}

export type TiffTextTag = { tag: number; text: string; nulTerminated?: boolean };

/**
 * Uncompressed one-strip grey TIFF (8 or 16-bit integers, or 32-bit floats), little- or big-endian, with optional text
 * tags (FEI 34682, Zeiss 34118, ImageDescription 270) and resolution tags.
 */
export function encodeGreyTiff(options: {
  width: number;
  height: number;
  samples: Uint16Array | Uint8Array | Float32Array;
  textTags?: TiffTextTag[];
  resolution?: { pixelsPerUnit: number; unit: 1 | 2 | 3 };
  bigEndian?: boolean;
}): Buffer {
  const { width, height, samples } = options;
  const bitsPerSample = samples instanceof Float32Array ? 32 : samples instanceof Uint16Array ? 16 : 8;
  const bytesPerSample = bitsPerSample / 8;
  const little = !options.bigEndian;

  type Entry = { tag: number; type: number; count: number; inline?: number; data?: Buffer };
  const entries: Entry[] = [
    { tag: 256, type: 4, count: 1, inline: width },
    { tag: 257, type: 4, count: 1, inline: height },
    { tag: 258, type: 3, count: 1, inline: bitsPerSample },
    { tag: 259, type: 3, count: 1, inline: 1 },
    { tag: 262, type: 3, count: 1, inline: 1 },
    { tag: 273, type: 4, count: 1, inline: 0 }, // strip offset, patched below
    { tag: 277, type: 3, count: 1, inline: 1 },
    { tag: 278, type: 4, count: 1, inline: height },
    { tag: 279, type: 4, count: 1, inline: width * height * bytesPerSample },
  ];
  if (samples instanceof Float32Array) entries.push({ tag: 339, type: 3, count: 1, inline: 3 }); // SampleFormat: float
  for (const textTag of options.textTags ?? []) {
    const text = Buffer.from(textTag.nulTerminated === false ? textTag.text : `${textTag.text}\0`, "latin1");
    entries.push({ tag: textTag.tag, type: 2, count: text.length, data: text });
  }
  if (options.resolution) {
    for (const tag of [282, 283]) {
      const rational = Buffer.alloc(8);
      writeU32(rational, 0, Math.round(options.resolution.pixelsPerUnit * 1000), little);
      writeU32(rational, 4, 1000, little);
      entries.push({ tag, type: 5, count: 1, data: rational });
    }
    entries.push({ tag: 296, type: 3, count: 1, inline: options.resolution.unit });
  }
  entries.sort((a, b) => a.tag - b.tag);

  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  let cursor = ifdOffset + ifdSize;
  const placed = entries.map((entry) => {
    if (!entry.data || entry.data.length <= 4) return { entry, offset: 0 };
    const offset = cursor;
    cursor += entry.data.length + (entry.data.length % 2);
    return { entry, offset };
  });
  const stripOffset = cursor;
  const total = stripOffset + samples.length * bytesPerSample;
  const out = Buffer.alloc(total);
  out.write(little ? "II" : "MM", 0, "latin1");
  writeU16(out, 2, 42, little);
  writeU32(out, 4, ifdOffset, little);
  writeU16(out, ifdOffset, entries.length, little);
  placed.forEach(({ entry, offset }, index) => {
    const at = ifdOffset + 2 + index * 12;
    writeU16(out, at, entry.tag, little);
    writeU16(out, at + 2, entry.type, little);
    writeU32(out, at + 4, entry.count, little);
    if (entry.tag === 273) writeU32(out, at + 8, stripOffset, little);
    else if (entry.data && entry.data.length <= 4) entry.data.copy(out, at + 8);
    else if (entry.data) {
      writeU32(out, at + 8, offset, little);
      entry.data.copy(out, offset);
    } else if (entry.type === 3) writeU16(out, at + 8, entry.inline ?? 0, little);
    else writeU32(out, at + 8, entry.inline ?? 0, little);
  });
  writeU32(out, ifdOffset + 2 + entries.length * 12, 0, little);
  for (let index = 0; index < samples.length; index += 1) {
    const value = samples[index] ?? 0;
    if (bytesPerSample === 4) {
      if (little) out.writeFloatLE(value, stripOffset + index * 4);
      else out.writeFloatBE(value, stripOffset + index * 4);
    } else if (bytesPerSample === 2) writeU16(out, stripOffset + index * 2, value, little);
    else out[stripOffset + index] = value;
  }
  return out;
}

function writeU16(buffer: Buffer, offset: number, value: number, little: boolean) {
  if (little) buffer.writeUInt16LE(value, offset);
  else buffer.writeUInt16BE(value, offset);
}

function writeU32(buffer: Buffer, offset: number, value: number, little: boolean) {
  if (little) buffer.writeUInt32LE(value, offset);
  else buffer.writeUInt32BE(value, offset);
}

/**
 * A zeroed BMP file (BITMAPINFOHEADER) with its headers written, for `bitsPerPixel`-bit rows and a
 * palette of `paletteEntries` colours (left zero: fill it in) before the pixels.
 */
export function bmpWithHeader(options: {
  width: number;
  height: number;
  bitsPerPixel: number;
  paletteEntries: number;
  topDown?: boolean;
  compression?: number;
  pixelsPerMetre?: number;
}): { out: Buffer; rowStride: number; pixelOffset: number } {
  const { width, height, bitsPerPixel } = options;
  const rowStride = Math.ceil((bitsPerPixel * width) / 32) * 4;
  const pixelOffset = 14 + 40 + options.paletteEntries * 4;
  const out = Buffer.alloc(pixelOffset + rowStride * height);
  out.write("BM", 0, "latin1");
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(pixelOffset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(options.topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bitsPerPixel, 28);
  out.writeUInt32LE(options.compression ?? 0, 30);
  out.writeUInt32LE(rowStride * height, 34);
  out.writeInt32LE(options.pixelsPerMetre ?? 2835, 38);
  out.writeInt32LE(options.pixelsPerMetre ?? 2835, 42);
  out.writeUInt32LE(options.paletteEntries, 46);
  return { out, rowStride, pixelOffset };
}

/**
 * A BMP (BITMAPINFOHEADER). `rgb` holds top-down RGB rows; 8-bit files get a grey palette and
 * take the red channel as the grey level. Rows are written bottom-up unless `topDown`.
 */
export function encodeBmp(options: {
  width: number;
  height: number;
  rgb: Uint8Array;
  bitsPerPixel: 8 | 24;
  topDown?: boolean;
  compression?: number;
  pixelsPerMetre?: number;
}): Buffer {
  const { width, height, rgb, bitsPerPixel } = options;
  const paletteBytes = bitsPerPixel === 8 ? 256 * 4 : 0;
  const { out, rowStride, pixelOffset } = bmpWithHeader({ ...options, paletteEntries: paletteBytes / 4 });
  for (let level = 0; level < paletteBytes / 4; level += 1) {
    out.fill(level, 54 + level * 4, 54 + level * 4 + 3);
  }
  for (let row = 0; row < height; row += 1) {
    const fileRow = options.topDown ? row : height - 1 - row;
    for (let column = 0; column < width; column += 1) {
      const source = (row * width + column) * 3;
      const red = rgb[source] ?? 0;
      const green = rgb[source + 1] ?? 0;
      const blue = rgb[source + 2] ?? 0;
      if (bitsPerPixel === 8) {
        out[pixelOffset + fileRow * rowStride + column] = red;
      } else {
        const at = pixelOffset + fileRow * rowStride + column * 3;
        out[at] = blue;
        out[at + 1] = green;
        out[at + 2] = red;
      }
    }
  }
  return out;
}

/** RGB pixels: top half red, bottom half blue, with a seed-dependent first pixel. */
export function redOverBlue(width: number, height: number, seed = 0): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let index = 0; index < width * height; index += 1) {
    const top = Math.floor(index / width) < height / 2;
    rgb.set(top ? [255, 0, 0] : [0, 0, 255], index * 3);
  }
  rgb[0] = 255 - (seed % 50);
  return rgb;
}

/** A valid small PNG whose IHDR now declares `width` × `height` (CRC fixed, data unchanged). */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await pngGrey(8, 8, 99));
  // Signature (8) + IHDR length (4) + "IHDR" (4): width at 16, height at 20, CRC after 13 bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** The FEI/Thermo Fisher text block of a Quanta SEM (abridged from a real file). */
export const FEI_TEXT = [
  "[User]",
  "Date=05/22/2024",
  "Time=05:02:26 PM",
  "",
  "[System]",
  "Type=SEM",
  "SystemType=Quanta FEG",
  "",
  "[EBeam]",
  "HV=5000",
  "HFW=0.0002072",
  "WD=0.011365",
  "",
  "[Scan]",
  "PixelWidth=1.34896e-007",
  "PixelHeight=1.34896e-007",
  "",
  "[Detectors]",
  "Number=1",
  "Name=ETD",
  "",
].join("\r\n");
