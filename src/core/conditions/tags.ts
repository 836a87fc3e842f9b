/**
 * Condition tags: key-value facts about an image (capacity 8 mAh, cycles 1, electrolyte "LiPF6",
 * hv 5 kV). A value is a number with an optional unit, or a text. Pure: the server stores them
 * (src/server/conditions), the upload panel previews them, the grid filters by them.
 */
import { z } from "zod";

/** Bounds on what one image carries; the messages below name them. */
export const TAG_LIMITS = {
  maxTagsPerImage: 32,
  maxKeyLength: 40,
  maxTextLength: 200,
  maxUnitLength: 16,
} as const;

/** A tag as the application passes it around: `unit` only ever goes with a number. */
export type TagValue = { key: string; value: number | string; unit: string | null };

/** Where a stored tag came from. */
export const TAG_SOURCES = ["path", "metadata", "manual"] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

/** Letters (any script), digits, spaces and _ - . % µ °; starts with a letter or digit. */
const KEY_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.%µ°-]*$/u;

/** The stored form of a key: trimmed, inner spaces collapsed, lower case ("Current  Density" -> "current density"). */
export function normaliseTagKey(key: string): string {
  return key.trim().replace(/\s+/g, " ").toLowerCase();
}

export const tagKeySchema = z
  .string()
  .transform(normaliseTagKey)
  .pipe(
    z
      .string()
      .min(1, "A condition needs a name (e.g. capacity).")
      .max(TAG_LIMITS.maxKeyLength, `A condition name has at most ${TAG_LIMITS.maxKeyLength} characters.`)
      .regex(
        KEY_PATTERN,
        "A condition name holds letters, digits, spaces and _ - . % µ ° only, and starts with a letter or digit.",
      ),
  );

const unitSchema = z
  .string()
  .trim()
  .max(TAG_LIMITS.maxUnitLength, `A unit has at most ${TAG_LIMITS.maxUnitLength} characters.`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "A unit cannot hold control characters.")
  .transform((unit) => (unit === "" ? null : unit));

const textValueSchema = z
  .string()
  .trim()
  .min(1, "A condition needs a value.")
  .max(TAG_LIMITS.maxTextLength, `A condition value has at most ${TAG_LIMITS.maxTextLength} characters.`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "A condition value cannot hold control characters.");

const numberValueSchema = z
  .number()
  .refine(Number.isFinite, "A number value must be finite.")
  .refine((n) => Math.abs(n) < 1e15, "A number value must be smaller than 10^15.");

/** One tag: a number (with an optional unit) or a text (without a unit). */
export const tagValueSchema = z
  .object({
    key: tagKeySchema,
    value: z.union([numberValueSchema, textValueSchema]),
    unit: unitSchema.nullable().default(null),
  })
  .transform((tag): TagValue => ({ ...tag, unit: tag.unit ?? null }))
  .refine((tag) => typeof tag.value === "number" || tag.unit === null, {
    message: "Only a number value has a unit.",
    path: ["unit"],
  });

/** The tags of one image: at most TAG_LIMITS.maxTagsPerImage, each key once. */
export const imageTagsSchema = z
  .array(tagValueSchema)
  .max(TAG_LIMITS.maxTagsPerImage, `An image has at most ${TAG_LIMITS.maxTagsPerImage} conditions.`)
  .refine((tags) => new Set(tags.map((tag) => tag.key)).size === tags.length, "Each condition appears once per image.");

/** "8 mAh", "1", "LiPF6": how a tag's value reads in the UI. */
export function formatTagValue(tag: Pick<TagValue, "value" | "unit">): string {
  if (typeof tag.value === "string") return tag.value;
  return tag.unit ? `${tag.value} ${tag.unit}` : String(tag.value);
}
