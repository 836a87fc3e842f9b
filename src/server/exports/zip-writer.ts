/**
 * A streaming zip writer (STORE method: PNGs are compressed already, deflating them again only
 * costs CPU). Each entry is written as soon as its bytes exist; only the central directory
 * (about 60 bytes plus the name per entry) is kept until the end, as the format requires.
 * Zip64 is not written: an archive over 4 GiB or 65 535 entries is refused with a RangeError
 * (export per dataset instead).
 */
import { crc32 } from "node:zlib";

export type ZipEntry = { name: string; bytes: Uint8Array; modified?: Date };

const MAX_ZIP32 = 0xffff_ffff;
const MAX_ENTRIES = 0xffff;

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Yields the archive's bytes chunk by chunk while it consumes `entries`. */
export async function* writeZip(entries: AsyncIterable<ZipEntry>): AsyncGenerator<Uint8Array> {
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const crc = crc32(entry.bytes);
    const size = entry.bytes.byteLength;
    if (offset + 30 + name.length + size > MAX_ZIP32 || count + 1 > MAX_ENTRIES) {
      throw new RangeError("The archive would exceed 4 GiB or 65 535 entries; export one dataset at a time");
    }
    const { time, date } = dosDateTime(entry.modified ?? new Date());
    // The local header and the central directory record share one block of fields, at offset 4
    // and 6 respectively (the central record has "version made by" in front).
    const writeEntryFields = (buffer: Buffer, at: number) => {
      buffer.writeUInt16LE(20, at); // version needed: 2.0
      buffer.writeUInt16LE(0x0800, at + 2); // flags: UTF-8 names
      buffer.writeUInt16LE(0, at + 4); // method: STORE
      buffer.writeUInt16LE(time, at + 6);
      buffer.writeUInt16LE(date, at + 8);
      buffer.writeUInt32LE(crc, at + 10);
      buffer.writeUInt32LE(size, at + 14); // compressed size
      buffer.writeUInt32LE(size, at + 18);
      buffer.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // made by
    writeEntryFields(header, 6);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    yield local;
    yield name;
    yield entry.bytes;
    offset += 30 + name.length + size;
    count++;
  }
  let centralSize = 0;
  for (const part of central) {
    centralSize += part.length;
    yield part;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  yield end;
}
