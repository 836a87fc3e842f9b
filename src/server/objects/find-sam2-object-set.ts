/**
 * sam2.objectSet: the stored SAM 2 object set of an image for a model and generator parameters (the
 * defaults when absent), or null when that was never generated. NOT_FOUND for an image outside the
 * project; BAD_INPUT when no such model is ready or a parameter is out of range.
 */
import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import type { ReadySam2Model } from "~/server/inference/sam2/ensure-sam2-embedding";
import { readySam2ModelOrBadInput } from "~/server/inference/sam2/get-sam2-embedding-status";
import { OBJECT_SET_SELECT, toObjectSetDto, type ObjectSetDto } from "./object-set-dto";
import { sam2AmgParamsSchema, type Sam2AmgParams } from "~/core/sam2/amg-params";
import { sam2ObjectParamsHash } from "./sam2-object-set-record";

/** Validated generator parameters (defaults filled in); BAD_INPUT naming every problem otherwise. */
export function sam2ParamsOrBadInput(params: unknown): Sam2AmgParams {
  const parsed = sam2AmgParamsSchema.safeParse(params ?? {});
  if (!parsed.success) {
    throw new AppError("BAD_INPUT", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

/** What names the stored SAM 2 set of an image: the ready model, the generator's parameters and their hash. */
export type Sam2ObjectSetKey = { model: ReadySam2Model; params: Sam2AmgParams; paramsHash: string };

/**
 * The key of the SAM 2 sets made with a model (its name; absent: the default ready one) and
 * parameters (any subset; the rest the defaults). BAD_INPUT when no such model is ready or a
 * parameter is out of range. sam2.objectSet and the objects exports look sets up by it.
 */
export async function resolveSam2ObjectSetKey(options: {
  model?: string;
  params?: Partial<Sam2AmgParams>;
}): Promise<Sam2ObjectSetKey> {
  const model = await readySam2ModelOrBadInput(options.model);
  const params = sam2ParamsOrBadInput(options.params);
  return { model, params, paramsHash: sam2ObjectParamsHash(model.pairSha256, params) };
}

export async function findSam2ObjectSet(options: {
  db: Db;
  projectId: string;
  imageId: string;
  model?: string;
  params?: Partial<Sam2AmgParams>;
}): Promise<ObjectSetDto | null> {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: { id: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const { paramsHash } = await resolveSam2ObjectSetKey(options);
  const row = await options.db.objectSet.findFirst({
    where: { imageId: image.id, paramsHash, projectId: options.projectId, method: "sam2" },
    select: OBJECT_SET_SELECT,
  });
  return row ? toObjectSetDto(row) : null;
}
