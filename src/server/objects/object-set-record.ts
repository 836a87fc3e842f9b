/**
 * What an ObjectSet row holds beyond its plain columns, and the constants that decide how it is
 * computed and stored. Names here are persisted: add fields, do not rename them.
 *
 * Storage decision: every per-object record goes to a JSON blob (`objectsKey`, content-addressed)
 * and the row's `objects` column holds the first {@link OBJECT_RECORDS_INLINE_MAX} of them (by
 * label): the workspace reads them from the row in one query (ObjectSetDto.objectsTruncated tells
 * when there are more), the objects.csv export reads the blob when the row has fewer than `count`,
 * and a dense image of 50 000 particles never turns into a 20 MB row or tRPC answer.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { canonicalJson } from "~/server/analysis/canonical-params";
import { serverEnv } from "~/server/env";

/** Bump when anything changes the stored labels or numbers for the same parameters. */
export const OBJECTS_CODE_VERSION = "objects@1";

/**
 * Objects are segmented at full resolution, except that the grey image is area-resampled (as the
 * analysis image is) so that its long side is at most this many pixels: a 16k x 12k mosaic is
 * measured on 4096 x 3072. Pixel values (areas, lengths) are then pixels of the label map; units
 * use the image's pixel size times the resampling factor, so they stay right.
 */
export const OBJECTS_MAX_SIDE = 4096;

/** Records kept in the row (and answered by objects.forImage/run) at most; the blob has all. */
export const OBJECT_RECORDS_INLINE_MAX = 5000;

export function objectsCodeVersion(): string {
  const commit = serverEnv().VISUAL_CCC_COMMIT;
  return commit ? `${OBJECTS_CODE_VERSION}+${commit}` : OBJECTS_CODE_VERSION;
}

/**
 * sha256 of the canonical parameters, the resolution cap and the image's analysed area (only when
 * it has one, so sets of whole images keep the hash they always had): the key of reuse.
 */
export function objectParamsHash(params: ObjectSegmentationParams, analysedArea: AnalysedArea | null = null): string {
  const area = analysedArea && {
    x: analysedArea.x,
    y: analysedArea.y,
    width: analysedArea.width,
    height: analysedArea.height,
  };
  const canonical = canonicalJson({ params, maxSide: OBJECTS_MAX_SIDE, ...(area && { analysedArea: area }) });
  return createHash("sha256").update(canonical).digest("hex");
}

/** One object, in pixels of the label map (regionProps fields and whatever else the core measures). */
export type ObjectRecord = Record<string, unknown> & { label: number };

export const objectRecordsSchema = z.array(z.looseObject({ label: z.number() }));

/** Per-image statistics, in pixels (count, coverage, density, d10/d50/d90, ..., indexOfDispersion). */
export type ObjectImageStats = Record<string, unknown>;

export const objectImageStatsSchema = z.record(z.string(), z.unknown());
