/**
 * Cache of pooled features, keyed by (model sha256, image sha256): the expensive part of
 * retraining is the forward pass, so every image goes through each backbone once.
 */
import "server-only";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface FeatureCache {
  get(modelSha256: string, imageSha256: string): Promise<Float32Array | undefined>;
  set(modelSha256: string, imageSha256: string, features: Float32Array): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

function assertKey(modelSha256: string, imageSha256: string): void {
  if (!SHA256.test(modelSha256) || !SHA256.test(imageSha256)) {
    throw new RangeError("feature cache keys must be sha256 hex digests");
  }
}

/** Process-local cache (tests, one CLI run). */
export class MemoryFeatureCache implements FeatureCache {
  private readonly entries = new Map<string, Float32Array>();

  get size(): number {
    return this.entries.size;
  }

  async get(modelSha256: string, imageSha256: string): Promise<Float32Array | undefined> {
    assertKey(modelSha256, imageSha256);
    const hit = this.entries.get(`${modelSha256}/${imageSha256}`);
    return hit ? hit.slice() : undefined;
  }

  async set(modelSha256: string, imageSha256: string, features: Float32Array): Promise<void> {
    assertKey(modelSha256, imageSha256);
    this.entries.set(`${modelSha256}/${imageSha256}`, features.slice());
  }
}

/**
 * On-disk cache: <root>/<model sha256>/<image sha256>.f32 (raw little-endian float32). Writes go
 * through a temporary file and a rename, so a crash never leaves a torn entry behind.
 */
export class DirectoryFeatureCache implements FeatureCache {
  constructor(private readonly root: string) {}

  private file(modelSha256: string, imageSha256: string): string {
    assertKey(modelSha256, imageSha256);
    return path.join(this.root, modelSha256, `${imageSha256}.f32`);
  }

  async get(modelSha256: string, imageSha256: string): Promise<Float32Array | undefined> {
    try {
      const bytes = await readFile(this.file(modelSha256, imageSha256));
      if (bytes.byteLength % 4 !== 0) return undefined;
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return new Float32Array(copy.buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async set(modelSha256: string, imageSha256: string, features: Float32Array): Promise<void> {
    const target = this.file(modelSha256, imageSha256);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    await rename(temporary, target);
  }
}
