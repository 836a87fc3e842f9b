/**
 * A decoder for the 16-bit PNGs of the "samples" image route (grey or RGB, 16 bits a sample, not
 * interlaced): browsers draw PNGs at 8 bits, so the raw values are read here. Inflating uses the
 * platform's DecompressionStream ("deflate" is PNG's zlib stream).
 */

export type DecodedPng16 = { width: number; height: number; channels: 1 | 3; data: Uint16Array };

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export async function decodePng16(bytes: Uint8Array): Promise<DecodedPng16> {
  if (!SIGNATURE.every((byte, i) => bytes[i] === byte)) throw new Error("Not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: { width: number; height: number; channels: 1 | 3 } | null = null;
  const idat: Uint8Array[] = [];
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") header = readHeader(body);
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  if (!header) throw new Error("PNG without a header");
  const inflated = await inflate(idat);
  return { ...header, data: unfilter(inflated, header.width, header.height, header.channels) };
}

function readHeader(body: Uint8Array): { width: number; height: number; channels: 1 | 3 } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const [depth, colourType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
  if (depth !== 16 || (colourType !== 0 && colourType !== 2) || interlace !== 0) {
    throw new Error(`Unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${interlace})`);
  }
  return { width: view.getUint32(0), height: view.getUint32(4), channels: colourType === 0 ? 1 : 3 };
}

async function inflate(parts: Uint8Array[]): Promise<Uint8Array> {
  const blob = new Blob(parts.map((part) => new Uint8Array(part)));
  const stream = blob.stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Undoes the per-row filters (PNG spec 9.2) and reads the big-endian samples. */
function unfilter(raw: Uint8Array, width: number, height: number, channels: 1 | 3): Uint16Array {
  const bpp = channels * 2;
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) throw new Error("Truncated PNG data");
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const input = y * (stride + 1) + 1;
    const out = y * stride;
    const up = out - stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? rows[out + i - bpp]! : 0;
      const b = y > 0 ? rows[up + i]! : 0;
      const c = y > 0 && i >= bpp ? rows[up + i - bpp]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) predicted = paeth(a, b, c);
      rows[out + i] = (raw[input + i]! + predicted) & 0xff;
    }
  }
  const data = new Uint16Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (rows[2 * i]! << 8) | rows[2 * i + 1]!;
  return data;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
