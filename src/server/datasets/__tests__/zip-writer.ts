/**
 * A tiny zip writer for tests, able to write what real tools refuse to: "../" and absolute
 * names, sizes that lie, encryption flags and unknown compression methods.
 */
import { crc32, deflateRawSync } from "node:zlib";

export type TestZipEntry = {
  name: string;
  data?: Buffer;
  /** @default "deflate" */
  method?: "store" | "deflate";
  /** Written as the uncompressed size instead of the real one. */
  declaredSize?: number;
  /** Sets the "encrypted" flag (the data stays plain). */
  encrypted?: boolean;
  /** Written as the compression method instead of 0/8. */
  rawMethod?: number;
};

export function writeZip(entries: TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const data = entry.data ?? Buffer.alloc(0);
    const deflate = (entry.method ?? "deflate") === "deflate" && !entry.name.endsWith("/");
    const body = deflate ? deflateRawSync(data) : data;
    const method = entry.rawMethod ?? (deflate ? 8 : 0);
    const flags = 0x0800 | (entry.encrypted ? 0x0001 : 0);
    const crc = crc32(data);
    const size = entry.declaredSize ?? data.length;
    /** The fields local and central headers share, in the same order, from `at` (flags) on. */
    const writeSharedFields = (header: Buffer, at: number) => {
      header.writeUInt16LE(flags, at);
      header.writeUInt16LE(method, at + 2);
      header.writeUInt32LE(crc, at + 8);
      header.writeUInt32LE(body.length, at + 12);
      header.writeUInt32LE(size, at + 16);
      header.writeUInt16LE(name.length, at + 20);
    };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeSharedFields(local, 6);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    writeSharedFields(central, 8);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
