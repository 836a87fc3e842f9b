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
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(0, 8); // STORE
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // made by
    header.writeUInt16LE(20, 6); // needed
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
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
