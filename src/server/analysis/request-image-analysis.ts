/**
 * The workspace's "analyse this image with these parameters": runs the one pipeline
 * (analyze-image.ts) in the request, because one image takes well under a few seconds and the
 * user is waiting for it on screen, and returns the stored Analysis as the DTO the page renders.
 * An existing result for the same parameters is returned as is (same paramsHash: no work).
 */
import { existsSync } from "node:fs";
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type { Db } from "~/server/db";
import { resolveModelPath } from "~/server/inference/session-cache";
import { AppError } from "~/server/errors";
import { recordChange } from "~/server/audit/record-change";
import { isModelVersionRef, parseModelRef } from "~/server/models/model-ref";
import { analysedAreaOf } from "~/server/objects/request-object-set";
import { getProjectSettings } from "~/server/settings/project-settings";
import type { CamClass } from "./analysis-params-schema";
import { ANALYSIS_SELECT, toAnalysisDto, type AnalysisDto } from "./analysis-dto";
import { analyseImage } from "./analyse-image";
import { hashParams } from "./canonical-params";
import { configuredModel } from "./classify-raster";
import { ImageAnalysisError } from "./image-analysis-error";
import { resolveAnalysisParams, type AnalysisParamsInput } from "./run-analysis";

export async function requestImageAnalysis(options: {
  db: Db;
  projectId: string;
  actorId: string;
  imageId: string;
  params: AnalysisParamsInput;
  /**
   * Model name, or "version:<id>" for a model version of the project; null: no classification;
   * undefined: the configured default.
   */
  model?: string | null;
  /** The class the CAM explains. @default "predicted" */
  camClass?: CamClass;
  /**
   * What the classifier sees: the analysed area by tiles (which leave the data bar out when the
   * project's settings do), or the centre crop. Like the other parameters, the caller's (the
   * workspace sends its preview's, which starts as the project's setting).
   * @default "centre-crop" (the reference, as before the option)
   */
  classification?: ClassificationMode;
}): Promise<AnalysisDto> {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: { id: true, analysedArea: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const classification = options.classification ?? "centre-crop";
  const { settings } = await getProjectSettings({ db: options.db, projectId: options.projectId });
  const useAnalysedArea = settings.analysedArea === "exclude-data-bar";

  let params;
  try {
    params = resolveAnalysisParams(options.params);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  const camClass = options.camClass ?? "predicted";
  if (options.model && isModelVersionRef(options.model)) {
    const { modelVersionId } = parseModelRefOrBadInput(options.model);
    const version = await options.db.modelVersion.findFirst({
      where: { id: modelVersionId, OR: [{ projectId: options.projectId }, { projectId: null }] },
      select: { id: true },
    });
    if (!version) throw new AppError("NOT_FOUND", "Model version not found");
  }
  const tiledArea = classification === "tiles" && useAnalysedArea ? analysedAreaOf(image) : null;
  const existing = await findExisting(options.db, image.id, params, options.model, camClass, {
    classification,
    tiledArea,
  });
  if (existing) return existing;

  try {
    const { analysisId } = await analyseImage({
      db: options.db,
      projectId: options.projectId,
      imageId: image.id,
      params,
      model: options.model,
      camClass,
      classification,
      useAnalysedArea,
    });
    // The analysis row is a stored computation (upsert-analysis.ts); the request is the change.
    await recordChange(options.db, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "analysis.run",
      target: { type: "Analysis", id: analysisId },
      data: { imageId: image.id, ks: params.ks, model: options.model ?? null, camClass, classification },
    });
    const row = await options.db.analysis.findUniqueOrThrow({
      where: { id: analysisId },
      select: ANALYSIS_SELECT,
    });
    return toAnalysisDto(row);
  } catch (error) {
    if (error instanceof ImageAnalysisError) {
      if (error.reason === "model-unavailable")
        throw new AppError("BAD_INPUT", `This model cannot be used: ${error.message}`);
      throw new AppError("BAD_INPUT", `This image cannot be analysed: ${error.message}`);
    }
    throw error;
  }
}

/**
 * A shortcut for the common case of re-opening parameters that were already analysed. It only
 * matches rows whose stored params equal what analyze-image would store; anything else simply
 * runs the (idempotent) pipeline.
 */
async function findExisting(
  db: Db,
  imageId: string,
  params: ReturnType<typeof resolveAnalysisParams>,
  model: string | null | undefined,
  camClass: CamClass,
  options: { classification: ClassificationMode; tiledArea: AnalysedArea | null },
): Promise<AnalysisDto | null> {
  const requestedModel = model === undefined ? configuredModel() : model;
  const candidates = await db.analysis.findMany({
    where: { imageId },
    select: ANALYSIS_SELECT,
    orderBy: { createdAt: "desc" },
  });
  const wanted = hashParams(params);
  const wantedFrame = {
    classification: options.classification === "tiles" ? ("tiles" as const) : undefined,
    analysedArea: options.tiledArea ?? undefined,
  };
  for (const row of candidates) {
    const dto = toAnalysisDto(row);
    if (!dto.params || hashParams(dto.params.analysis) !== wanted) continue;
    const classifier = dto.params.classifier;
    if (
      classifier === null
        ? !isInstalled(requestedModel)
        : classifier.model === requestedModel &&
          (classifier.camClass ?? "predicted") === camClass &&
          sameClassifierFrame(classifier, wantedFrame)
    ) {
      return dto;
    }
  }
  return null;
}

/** Whether a stored classifier saw what is asked for: the same mode and (tiles) the same area. */
function sameClassifierFrame(
  stored: { classification?: "tiles"; analysedArea?: AnalysedArea },
  wanted: { classification?: "tiles"; analysedArea?: AnalysedArea },
): boolean {
  return (
    stored.classification === wanted.classification &&
    hashParams(stored.analysedArea ?? null) === hashParams(wanted.analysedArea ?? null)
  );
}

/** A missing model means "no classification" to the pipeline (classify-raster.ts). */
function isInstalled(model: string | null): boolean {
  if (model !== null && isModelVersionRef(model)) return true; // a version never falls back to "no classifier"
  return model !== null && existsSync(resolveModelPath(model));
}

function parseModelRefOrBadInput(model: string): { modelVersionId: string } {
  try {
    const parsed = parseModelRef(model);
    if (parsed.kind === "version") return parsed;
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  throw new AppError("BAD_INPUT", "Not a model version");
}
