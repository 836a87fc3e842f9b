/**
 * Safe expansion of an uploaded .zip held in memory. An archive is accepted or refused as a
 * whole: every structural check (paths, nesting, entry count, declared sizes, encryption) runs on
 * the central directory before any entry is inflated, and the entries are only returned once all
 * of them have inflated within the limits. So a refused archive stores nothing.
 *
 * Entries are inflated one at a time, chunk by chunk, into files of a folder on disk
 * (expandZipToDirectory): an archive that expands to hundreds of MiB costs the process the
 * inflater's buffers (tens of KiB), not the expansion. The caller owns the folder and removes it.
 *
 * Zip bombs are stopped twice: by the sizes the archive declares, then by counting the bytes
 * that actually come out of the inflater (an archive can lie about its sizes).
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { formatBytes } from "~/server/codecs/probe-image";

export type ZipEntryFile = {
  /** Path inside the archive, "/"-separated, e.g. "run-3/site-2.tif". */
  path: string;
  bytes: Buffer;
};

export type ExpandZipOptions = {
  /** Most central-directory records (files and folders) an archive may have. */
  maxEntries: number;
  /** Most bytes all entries together may inflate to. */
  maxTotalBytes: number;
};

export type ZipRejectionReason =
  | "CORRUPT"
  | "EMPTY"
  | "PATH_ESCAPES"
  | "ABSOLUTE_PATH"
  | "NESTED_ARCHIVE"
  | "TOO_MANY_ENTRIES"
  | "TOO_LARGE"
  | "SIZE_MISMATCH"
  | "ENCRYPTED"
  | "UNSUPPORTED_COMPRESSION";

/** The whole archive was refused; `message` is written for the person who uploaded it. */
export class ZipRejectedError extends Error {
  constructor(
    readonly reason: ZipRejectionReason,
    message: string,
  ) {
    super(`${message} Nothing from the archive was stored.`);
    this.name = "ZipRejectedError";
  }
}

export const ZIP_ERROR_MESSAGE = {
  corrupt: "The archive is corrupt or not a zip file.",
  corruptEntry: (path: string) => `The archive is corrupt: entry "${path}" could not be read.`,
  empty: "The archive contains no files.",
  pathEscapes: (path: string) => `The archive contains the path "${path}", which points outside the archive's folder.`,
  absolutePath: (path: string) => `The archive contains the absolute path "${path}".`,
  nested: (path: string) =>
    `The archive contains another archive ("${path}"); archives inside archives are not expanded. ` +
    "Upload the inner archive on its own.",
  tooManyEntries: (count: number, limit: number) => `The archive has ${count} entries; the limit is ${limit}.`,
  tooLarge: (limit: number) =>
    `The archive expands to more than ${formatBytes(limit)}, the limit for one archive; split it into smaller archives.`,
  sizeMismatch: (path: string) =>
    `The archive entry "${path}" inflates to more bytes than it declares; the archive is corrupt or malicious.`,
  encrypted: (path: string) =>
    `The archive entry "${path}" is encrypted; password-protected archives are not supported.`,
  unsupportedCompression: (path: string) =>
    `The archive entry "${path}" uses an unsupported compression method; re-create the archive with standard (deflate) compression.`,
} as const;

const STORED = 0;
const DEFLATED = 8;

/** An entry expanded to disk. */
export type ZipEntryOnDisk = {
  /** Path inside the archive, "/"-separated, e.g. "run-3/site-2.tif". */
  path: string;
  /** The file holding its bytes (named by entry number, never by the archive's path). */
  file: string;
  size: number;
};

/**
 * The archive's entries as in-memory buffers. Only for small archives (tests, tools): uploads
 * use expandZipToDirectory, which never holds the expansion in memory.
 */
export async function expandZip(bytes: Buffer, options: ExpandZipOptions): Promise<ZipEntryFile[]> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "visual-ccc-zip-"));
  try {
    const entries = await expandZipToDirectory(bytes, directory, options);
    return await Promise.all(entries.map(async (entry) => ({ path: entry.path, bytes: await readFile(entry.file) })));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Expands the archive into `directory` (which must exist and which the caller removes, refused
 * archive or not), entry by entry, streaming each entry's inflated bytes to its own file.
 */
export async function expandZipToDirectory(
  bytes: Buffer,
  directory: string,
  options: ExpandZipOptions,
): Promise<ZipEntryOnDisk[]> {
  const zipfile = await openZip(bytes);
  if (zipfile.entryCount > options.maxEntries) {
    throw new ZipRejectedError(
      "TOO_MANY_ENTRIES",
      ZIP_ERROR_MESSAGE.tooManyEntries(zipfile.entryCount, options.maxEntries),
    );
  }

  const entries = await readAcceptedEntries(zipfile, options);
  if (entries.length === 0) throw new ZipRejectedError("EMPTY", ZIP_ERROR_MESSAGE.empty);

  const files: ZipEntryOnDisk[] = [];
  let inflatedTotal = 0;
  for (const [index, entry] of entries.entries()) {
    const file = path.join(directory, `entry-${index}`);
    const size = await inflateEntry(zipfile, entry, file, {
      inflatedSoFar: inflatedTotal,
      maxTotalBytes: options.maxTotalBytes,
    });
    inflatedTotal += size;
    files.push({ path: entry.fileName, file, size });
  }
  return files;
}

function openZip(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      bytes,
      // decodeStrings makes yauzl validate every name (absolute, "..", backslashes) before it
      // emits the entry; validateEntrySizes makes its inflater refuse entries that lie.
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (error, zipfile) => {
        if (error || !zipfile) reject(new ZipRejectedError("CORRUPT", ZIP_ERROR_MESSAGE.corrupt));
        else resolve(zipfile);
      },
    );
  });
}

/** Walks the central directory (no inflating) and returns the file entries worth reading. */
function readAcceptedEntries(zipfile: ZipFile, options: ExpandZipOptions): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const accepted: Entry[] = [];
    let declaredTotal = 0;
    const fail = (error: ZipRejectedError) => {
      zipfile.removeAllListeners();
      reject(error);
    };

    zipfile.on("entry", (entry: Entry) => {
      const rejection = checkEntry(entry);
      if (rejection) return fail(rejection);
      if (isFolderOrSystemFile(entry.fileName)) return zipfile.readEntry();
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > options.maxTotalBytes) {
        return fail(new ZipRejectedError("TOO_LARGE", ZIP_ERROR_MESSAGE.tooLarge(options.maxTotalBytes)));
      }
      accepted.push(entry);
      zipfile.readEntry();
    });
    zipfile.on("end", () => resolve(accepted));
    zipfile.on("error", (error: Error) => fail(rejectionFromYauzl(error)));
    zipfile.readEntry();
  });
}

function checkEntry(entry: Entry): ZipRejectedError | null {
  const path = entry.fileName;
  // yauzl already refuses these names; checked again so safety does not hang on a dependency.
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return new ZipRejectedError("ABSOLUTE_PATH", ZIP_ERROR_MESSAGE.absolutePath(path));
  }
  if (path.split(/[/\\]/).includes("..")) {
    return new ZipRejectedError("PATH_ESCAPES", ZIP_ERROR_MESSAGE.pathEscapes(path));
  }
  if (path.endsWith("/")) return null;
  if (path.toLowerCase().endsWith(".zip")) {
    return new ZipRejectedError("NESTED_ARCHIVE", ZIP_ERROR_MESSAGE.nested(path));
  }
  if (entry.isEncrypted()) return new ZipRejectedError("ENCRYPTED", ZIP_ERROR_MESSAGE.encrypted(path));
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return new ZipRejectedError("UNSUPPORTED_COMPRESSION", ZIP_ERROR_MESSAGE.unsupportedCompression(path));
  }
  return null;
}

/** Folders, and what macOS and Windows add to archives (__MACOSX/, ._x, .DS_Store): skipped. */
function isFolderOrSystemFile(path: string): boolean {
  if (path.endsWith("/")) return true;
  const segments = path.split("/");
  const name = segments[segments.length - 1] ?? "";
  return segments[0] === "__MACOSX" || name.startsWith(".") || name.toLowerCase() === "thumbs.db";
}

/** yauzl reports unsafe names as plain errors; turn the ones we know into clear messages. */
function rejectionFromYauzl(error: Error): ZipRejectedError {
  const absolute = /^absolute path: (.*)$/s.exec(error.message);
  if (absolute?.[1] !== undefined) {
    return new ZipRejectedError("ABSOLUTE_PATH", ZIP_ERROR_MESSAGE.absolutePath(absolute[1]));
  }
  const relative = /^invalid relative path: (.*)$/s.exec(error.message);
  if (relative?.[1] !== undefined) {
    return new ZipRejectedError("PATH_ESCAPES", ZIP_ERROR_MESSAGE.pathEscapes(relative[1]));
  }
  return new ZipRejectedError("CORRUPT", ZIP_ERROR_MESSAGE.corrupt);
}

/**
 * Inflates one entry into `file`, counting real output bytes against its declared size and the
 * budget, and refusing an archive hidden inside (by its first bytes). Returns the size.
 */
async function inflateEntry(
  zipfile: ZipFile,
  entry: Entry,
  file: string,
  budget: { inflatedSoFar: number; maxTotalBytes: number },
): Promise<number> {
  const stream = await new Promise<Readable>((resolve, reject) => {
    zipfile.openReadStream(entry, (error, readStream) => {
      if (error) reject(new ZipRejectedError("CORRUPT", ZIP_ERROR_MESSAGE.corruptEntry(entry.fileName)));
      else resolve(readStream);
    });
  });
  const out: WriteStream = createWriteStream(file, { flags: "wx" });
  let head = Buffer.alloc(0);
  let inflated = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > entry.uncompressedSize) {
        throw new ZipRejectedError("SIZE_MISMATCH", ZIP_ERROR_MESSAGE.sizeMismatch(entry.fileName));
      }
      if (budget.inflatedSoFar + inflated > budget.maxTotalBytes) {
        // Unreachable while declared sizes hold (they were summed already); kept as the guard
        // that does not depend on them.
        throw new ZipRejectedError("TOO_LARGE", ZIP_ERROR_MESSAGE.tooLarge(budget.maxTotalBytes));
      }
      if (head.length < 4) {
        head = Buffer.concat([head, chunk.subarray(0, 4)]);
        if (looksLikeZip(head)) {
          throw new ZipRejectedError("NESTED_ARCHIVE", ZIP_ERROR_MESSAGE.nested(entry.fileName));
        }
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (error) {
    stream.destroy();
    out.destroy();
    if (error instanceof ZipRejectedError) throw error;
    // yauzl's own size validation ("too many bytes in the stream") and zlib errors end here.
    const lied = error instanceof Error && error.message.startsWith("too many bytes");
    throw lied
      ? new ZipRejectedError("SIZE_MISMATCH", ZIP_ERROR_MESSAGE.sizeMismatch(entry.fileName))
      : new ZipRejectedError("CORRUPT", ZIP_ERROR_MESSAGE.corruptEntry(entry.fileName));
  }
  return inflated;
}

/** Local file header or end-of-central-directory signature: an archive renamed to hide it. */
function looksLikeZip(bytes: Buffer): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))
  );
}
