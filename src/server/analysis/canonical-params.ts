/**
 * Canonical JSON and the parameter hash that keys stored analyses (Analysis.paramsHash).
 * Canonical = object keys sorted at every depth, no whitespace, so the same parameters always
 * hash the same whatever order their fields were written in. The hash is persisted: never change
 * this encoding; change the parameters' version instead.
 */
import { createHash } from "node:crypto";

export type CanonicalJsonValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalJsonValue[]
  | { readonly [key: string]: CanonicalJsonValue | undefined };

/** Throws TypeError for values JSON cannot represent exactly (NaN, Infinity, functions...). */
export function canonicalJson(value: CanonicalJsonValue): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot encode ${value} as canonical JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly CanonicalJsonValue[]).map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value)
      // Absent and undefined mean the same thing, as in JSON.stringify.
      .filter((entry): entry is [string, CanonicalJsonValue] => entry[1] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new TypeError(`cannot encode a ${typeof value} as canonical JSON`);
}

/** sha256 (hex) of the canonical JSON of the parameters. */
export function hashParams(params: CanonicalJsonValue): string {
  return createHash("sha256").update(canonicalJson(params)).digest("hex");
}
