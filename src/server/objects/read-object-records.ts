/**
 * Every per-object record of a stored object set: the row's inline records when they are all of
 * them, else the JSON blob (objectsKey) that always holds every record (object-set-record.ts).
 */
import type { ObjectMeasurement } from "~/core/objects/measure-objects";
import type { BlobStore } from "~/server/storage";
import { objectRecordsSchema } from "./object-set-record";

export async function readObjectRecords(
  set: { count: number; objects: unknown; objectsKey: string },
  blobs: BlobStore,
): Promise<ObjectMeasurement[]> {
  const inline = objectRecordsSchema.safeParse(set.objects);
  if (inline.success && inline.data.length >= set.count) return inline.data as unknown as ObjectMeasurement[];
  const all = objectRecordsSchema.safeParse(JSON.parse((await blobs.get(set.objectsKey)).toString("utf8")));
  return all.success ? (all.data as unknown as ObjectMeasurement[]) : [];
}
