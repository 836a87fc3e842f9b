/**
 * One export column per tag key present in a scope: header `tag:<key>`, with the unit when every
 * value of the key shares it (`tag:capacity [mAh]`). Cells are numbers as numbers; a key whose
 * values have different units writes "8 mAh" so no value loses its unit.
 */
import "server-only";
import { formatTagValue } from "~/core/conditions/tags";
import type { Db } from "~/server/db";
import { findTagKeys, type ImageTagValue } from "./find-image-tags";

export type TagColumn = { key: string; header: string; sharedUnit: boolean };

export async function findTagColumns(options: { db: Db; projectId: string; datasetId?: string }): Promise<TagColumn[]> {
  const keys = await findTagKeys(options);
  return keys.map(({ key, units }) => {
    const sharedUnit = units.length === 1;
    const unit = sharedUnit ? units[0] : null;
    return { key, header: unit ? `tag:${key} [${unit}]` : `tag:${key}`, sharedUnit };
  });
}

/** The cells of `columns` for one image's tags (empty where the image has no value). */
export function tagCells(columns: readonly TagColumn[], tags: Readonly<Record<string, ImageTagValue>>) {
  return columns.map(({ key, sharedUnit }) => {
    const tag = tags[key];
    if (!tag) return null;
    return sharedUnit ? tag.value : formatTagValue(tag);
  });
}
