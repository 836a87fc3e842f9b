/**
 * A minimal baseline TIFF writer for 16-bit greyscale test images (sharp writes 8-bit TIFFs
 * from 16-bit input). Little-endian, uncompressed, one strip; optional extra pages.
 */
export function encodeTiff16(pages: { width: number; height: number; data: Uint16Array }[]): Buffer {
  const ENTRY_COUNT = 8;
  const ifdSize = 2 + ENTRY_COUNT * 12 + 4;
  const layout = pages.map((page) => ({ page, pixelBytes: page.width * page.height * 2 }));
  const total = 8 + layout.reduce((sum, { pixelBytes }) => sum + ifdSize + pixelBytes, 0);
  const out = Buffer.alloc(total);
  out.write("II", 0, "latin1");
  out.writeUInt16LE(42, 2);
  let offset = 8;
  out.writeUInt32LE(offset, 4);
  layout.forEach(({ page, pixelBytes }, index) => {
    const ifdOffset = offset;
    const pixelOffset = ifdOffset + ifdSize;
    const entries: [tag: number, type: number, value: number][] = [
      [256, 4, page.width], // ImageWidth
      [257, 4, page.height], // ImageLength
      [258, 3, 16], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // Photometric: BlackIsZero
      [273, 4, pixelOffset], // StripOffsets
      [278, 4, page.height], // RowsPerStrip
      [279, 4, pixelBytes], // StripByteCounts
    ];
    out.writeUInt16LE(ENTRY_COUNT, ifdOffset);
    entries.forEach(([tag, type, value], i) => {
      const at = ifdOffset + 2 + i * 12;
      out.writeUInt16LE(tag, at);
      out.writeUInt16LE(type, at + 2);
      out.writeUInt32LE(1, at + 4);
      if (type === 3) out.writeUInt16LE(value, at + 8);
      else out.writeUInt32LE(value, at + 8);
    });
    const isLast = index === layout.length - 1;
    out.writeUInt32LE(isLast ? 0 : pixelOffset + pixelBytes, ifdOffset + 2 + ENTRY_COUNT * 12);
    for (let i = 0; i < page.data.length; i++) out.writeUInt16LE(page.data[i]!, pixelOffset + i * 2);
    offset = pixelOffset + pixelBytes;
  });
  return out;
}
