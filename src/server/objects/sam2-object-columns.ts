/**
 * SAM 2's own numbers of an object (measure-sam2-masks.ts) as objects.csv columns, written after
 * the descriptors by both the command line (`objects --method sam2`) and the objects.csv export of
 * SAM 2 sets, so that a column means the same in both files. Names are persisted: add columns at
 * the end, do not rename.
 */
import { z } from "zod";
import type { Sam2ObjectRecord } from "./measure-sam2-masks";

/** The fields of a record the columns read. */
export type Sam2ObjectScores = Pick<Sam2ObjectRecord, "predicted_iou" | "stability_score" | "point">;

/** A stored record's SAM numbers (records are read back as loose JSON). */
export const sam2ObjectScoresSchema = z.looseObject({
  predicted_iou: z.number(),
  stability_score: z.number(),
  point: z.tuple([z.number(), z.number()]),
});

/**
 * Name and value of each column: the decoder's predicted IoU, the stability score, and the grid
 * point [x, y] that prompted the mask, in pixels of the grid the descriptors are in.
 */
export const SAM2_OBJECT_CSV_COLUMNS: readonly (readonly [name: string, get: (object: Sam2ObjectScores) => number])[] =
  [
    ["predicted_iou", (object) => object.predicted_iou],
    ["stability_score", (object) => object.stability_score],
    ["point_x", (object) => object.point[0]],
    ["point_y", (object) => object.point[1]],
  ];
