import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { findProjectImages } from "./project-images";

const MAX_NAMED = 10;

function nameSome(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMED).map((name) => `"${name}"`);
  return names.length > MAX_NAMED ? `${shown.join(", ")} and ${names.length - MAX_NAMED} more` : shown.join(", ");
}

/**
 * Moves images of the project into another of its datasets, all or none. A dataset holds each
 * file once (unique sha256 per dataset): images whose bytes the target already has are refused
 * (CONFLICT naming them); nothing moves then. Analyses, regions and labels go with the images.
 */
export async function moveImages(options: ProjectChangeScope & { imageIds: string[]; datasetId: string }) {
  return changeProject(
    options,
    {
      action: "images.move",
      target: { type: "Dataset", id: options.datasetId },
      data: (moved: { imageIds: string[]; datasetName: string }) => ({
        imageIds: moved.imageIds,
        toDatasetId: options.datasetId,
        toDatasetName: moved.datasetName,
      }),
    },
    async (tx) => {
      const target = await tx.dataset.findFirst({
        where: { id: options.datasetId, projectId: options.projectId },
        select: { id: true, name: true },
      });
      if (!target) throw new AppError("NOT_FOUND", "Dataset not found");
      const images = await findProjectImages(tx, options);
      const moving = images.filter((image) => image.datasetId !== target.id);
      const shaCount = new Map<string, number>();
      for (const image of moving) shaCount.set(image.sha256, (shaCount.get(image.sha256) ?? 0) + 1);
      const already = await tx.image.findMany({
        where: { datasetId: target.id, sha256: { in: [...shaCount.keys()] } },
        select: { sha256: true },
      });
      const taken = new Set(already.map((image) => image.sha256));
      const clashing = moving.filter((image) => taken.has(image.sha256) || shaCount.get(image.sha256)! > 1);
      if (clashing.length > 0) {
        throw new AppError(
          "CONFLICT",
          `"${target.name}" already holds the same file as ${nameSome(clashing.map((image) => image.fileName))}: ` +
            "a dataset keeps each file once, so nothing was moved",
        );
      }
      if (moving.length > 0) {
        await tx.image.updateMany({
          where: { id: { in: moving.map((image) => image.id) } },
          data: { datasetId: target.id },
        });
      }
      return { imageIds: moving.map((image) => image.id), datasetId: target.id, datasetName: target.name };
    },
  );
}
