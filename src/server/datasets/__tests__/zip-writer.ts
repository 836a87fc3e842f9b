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

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
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
