import { parseAnalysedAreaRecord } from "~/core/analysed-area/analysed-area";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { pixelSizeOf } from "~/server/objects/pixel-size";
import { getProjectSettings } from "~/server/settings/project-settings";
import { ANALYSIS_SELECT, toAnalysisDto } from "./analysis-dto";

/**
 * Everything the image page needs in one round trip: the image, its dataset and neighbours (for
 * keyboard navigation), the model versions one can analyse with, and the image's analyses
 * (newest first; a handful per image, one per parameter set).
 */
export async function getImageWorkspace(options: { db: Db; projectId: string; imageId: string }) {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: {
      id: true,
      fileName: true,
      width: true,
      height: true,
      bitDepth: true,
      channels: true,
      format: true,
      pixelSizeUm: true,
      pixelSizeUnit: true,
      analysedArea: true,
      createdAt: true,
      dataset: { select: { id: true, name: true } },
    },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");

  const [siblings, analyses, modelVersions, current] = await Promise.all([
    options.db.image.findMany({
      where: { datasetId: image.dataset.id, projectId: options.projectId },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    }),
    options.db.analysis.findMany({
      where: { imageId: image.id, image: { projectId: options.projectId } },
      orderBy: { createdAt: "desc" },
      select: ANALYSIS_SELECT,
    }),
    options.db.modelVersion.findMany({
      where: { OR: [{ projectId: options.projectId }, { projectId: null }] },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, classes: true, createdAt: true, projectId: true },
    }),
    getProjectSettings({ db: options.db, projectId: options.projectId }),
  ]);
  const position = siblings.findIndex((sibling) => sibling.id === image.id);
  return {
    image: {
      ...image,
      // The physical size of one pixel ({ value, unit } as set, µm when read from the file), or null.
      pixelSize: pixelSizeOf(image),
      // The part measurements cover ({ x, y, width, height, source }), or null: the whole image.
      analysedArea: parseAnalysedAreaRecord(image.analysedArea),
      // The display variant: 8-bit, full resolution, what the browser can draw (16-bit TIFF cannot).
      displayUrl: `/api/images/${image.id}/display`,
      // The raw values for window/level and the pointer readout (a 16-bit PNG of a 16-bit image).
      samplesUrl: `/api/images/${image.id}/samples`,
    },
    navigation: {
      position,
      count: siblings.length,
      previousId: siblings[position - 1]?.id ?? null,
      nextId: siblings[position + 1]?.id ?? null,
    },
    modelVersions: modelVersions.map((model) => ({ ...model, builtIn: model.projectId === null })),
    // What the classifier sees under the project's current settings (the workspace's first choice).
    projectClassification: current.settings.classification,
    // "uncertain" under the project's current settings.
    analyses: analyses.map((row) => toAnalysisDto(row, current.settings.uncertainty)),
  };
}
