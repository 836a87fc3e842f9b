/**
 * THE blob-key format: content addresses "sha256/<hex>". Everything that builds, checks or takes
 * apart a key goes through here. No I/O and no "server-only", so zod schemas of stored records
 * can use it too.
 */
import { z } from "zod";

const PREFIX = "sha256/";
const KEY_PATTERN = /^sha256\/[0-9a-f]{64}$/;

/** The key of bytes whose sha256 is `sha256Hex`. */
export function blobKeyOf(sha256Hex: string): string {
  return `${PREFIX}${sha256Hex}`;
}

export function isBlobKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The content hash a key names; content-addressed, so it is also a stable ETag. */
export function sha256OfBlobKey(key: string): string {
  if (!isBlobKey(key)) throw new RangeError(`Not a blob key: ${key}`);
  return key.slice(PREFIX.length);
}

/** A blob key inside a stored record (job payloads, analysis map lists). */
export const blobKeySchema = z.string().regex(KEY_PATTERN);
