/**
 * Where the objects of objects.csv and objects.coco.json come from: the classical object sets the
 * images report under the export's settings version (the default, findReportedObjectSets), or the
 * SAM 2 sets stored for one installed model and the generator's parameters (findSam2ObjectSets,
 * keyed as sam2.objectSet keys them: resolveSam2ObjectSetKey).
 */
import "server-only";
import { z } from "zod";
import { sam2AmgParamsSchema, type Sam2AmgParams } from "~/core/sam2/amg-params";
import { AppError } from "~/server/errors";
import { SAM2_MODEL_NAME_PATTERN } from "~/server/inference/sam2/sam2-registry";
import { findSam2ObjectSets, type NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { resolveSam2ObjectSetKey } from "~/server/objects/find-sam2-object-set";
import type { BlobStore } from "~/server/storage";
import { reportedObjectSetsOf, type ResultsExportOptions } from "./export-image-rows";

export const OBJECTS_SOURCES = ["classical", "sam2"] as const;

/** The objects an export reads, resolved (the SAM 2 model by the identity of its files). */
export type ObjectsSource =
  | { method: "classical" }
  | {
      method: "sam2";
      model: { name: string; pairSha256: string };
      /** The generator's parameters, defaults filled in. */
      params: Sam2AmgParams;
      paramsHash: string;
    };

/** The options of an objects export; `objects` absent: classical. */
export type ObjectsExportOptions = ResultsExportOptions & { blobs: BlobStore; objects?: ObjectsSource };

/** Said for an image in scope without a SAM 2 set for the export's model and parameters. */
export const SAM2_NOT_GENERATED = "not generated with this SAM 2 model and these parameters";

const SAM2_PARAM_NAMES = Object.keys(sam2AmgParamsSchema.shape) as (keyof Sam2AmgParams)[];

/** A number written in a query string (an empty value is no number). */
const queryNumber = z.string().trim().min(1).pipe(z.coerce.number());

/** `?objects=classical|sam2`, `&samModel=<installed name>` and the generator's parameters by name. */
const objectsQuerySchema = z
  .object({
    objects: z.enum(OBJECTS_SOURCES).default("classical"),
    samModel: z.string().regex(SAM2_MODEL_NAME_PATTERN, "samModel must be an installed model's name").optional(),
    samParams: z.object(Object.fromEntries(SAM2_PARAM_NAMES.map((name) => [name, queryNumber.optional()]))),
  })
  .refine((query) => query.objects === "sam2" || (query.samModel === undefined && !hasAny(query.samParams)), {
    message: "samModel and the SAM 2 generator parameters go with objects=sam2 only",
  });

const hasAny = (values: Record<string, unknown>) => Object.values(values).some((value) => value !== undefined);

export type ObjectsSourceQuery = {
  objects: (typeof OBJECTS_SOURCES)[number];
  samModel?: string;
  samParams: Partial<Sam2AmgParams>;
};

/** The objects source a request's query asks for; BAD_INPUT naming the problem otherwise. */
export function objectsSourceQuery(searchParams: URLSearchParams): ObjectsSourceQuery {
  const read = (name: string) => searchParams.get(name) ?? undefined;
  const parsed = objectsQuerySchema.safeParse({
    objects: read("objects"),
    samModel: read("samModel"),
    samParams: Object.fromEntries(SAM2_PARAM_NAMES.map((name) => [name, read(name)])),
  });
  if (!parsed.success) {
    throw new AppError(
      "BAD_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; "),
    );
  }
  const samParams = Object.fromEntries(
    Object.entries(parsed.data.samParams).filter(([, value]) => value !== undefined),
  ) as Partial<Sam2AmgParams>;
  return { objects: parsed.data.objects, samModel: parsed.data.samModel, samParams };
}

/** Whether a query names any objects-source option (only the objects exports take them). */
export function namesObjectsSource(searchParams: URLSearchParams): boolean {
  return ["objects", "samModel", ...SAM2_PARAM_NAMES].some((name) => searchParams.has(name));
}

/**
 * The source for `query`: SAM 2 resolves the model (absent: the default ready one) and the
 * parameters (the rest the defaults); BAD_INPUT when no such model is ready or a parameter is out
 * of range.
 */
export async function resolveObjectsSource(query: {
  objects: (typeof OBJECTS_SOURCES)[number];
  samModel?: string;
  samParams?: Partial<Sam2AmgParams>;
}): Promise<ObjectsSource> {
  if (query.objects === "classical") return { method: "classical" };
  const key = await resolveSam2ObjectSetKey({ model: query.samModel, params: query.samParams });
  return {
    method: "sam2",
    model: { name: key.model.name, pairSha256: key.model.pairSha256 },
    params: key.params,
    paramsHash: key.paramsHash,
  };
}

/** The object set of each image of a page under the export's source, by image id (absent: none). */
export function objectSetsOf(
  options: ObjectsExportOptions,
  images: readonly { id: string }[],
): Promise<Map<string, NewestObjectSet>> {
  const source = options.objects ?? { method: "classical" };
  if (source.method === "classical") return reportedObjectSetsOf(options, images);
  return findSam2ObjectSets({
    db: options.db,
    projectId: options.scope.projectId,
    paramsHash: source.paramsHash,
    imageIds: images.map((image) => image.id),
  });
}
