import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { blobKeyOf, sha256OfBlobKey } from "./blob-keys";
import { BlobNotFoundError, type BlobStore, type ByteRange, type StoredBlob } from "./blob-store";

/** Content-addressed files under a root folder: <root>/sha256/ab/cd/<hex>. */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const hex = sha256OfBlobKey(key);
    return path.join(this.root, "sha256", hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const key = blobKeyOf(sha256);
    const file = this.pathOf(key);
    if (!(await this.has(key))) {
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees a half-written blob.
      const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    }
    return { key, sha256, size: bytes.byteLength };
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(key);
      throw error;
    }
  }

  stream(key: string, range?: ByteRange): Readable {
    return createReadStream(this.pathOf(key), range);
  }

  async has(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
