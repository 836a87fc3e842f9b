import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { findProjectImages } from "./project-images";

/**
 * Deletes images of the project, all or none (NOT_FOUND when one is not the project's). Their
 * regions, label, analyses, object sets and tags go with them (cascades); the blobs stay
 * (content-addressed, possibly shared by other images).
 */
export async function deleteImages(options: ProjectChangeScope & { imageIds: string[] }) {
  return changeProject(
    options,
    {
      action: "images.delete",
      target: { type: "Image", id: null },
      data: (deleted: { imageIds: string[]; fileNames: string[] }) => ({
        imageIds: deleted.imageIds,
        fileNames: deleted.fileNames.slice(0, 50),
      }),
    },
    async (tx) => {
      const images = await findProjectImages(tx, options);
      const imageIds = images.map((image) => image.id);
      await tx.image.deleteMany({ where: { id: { in: imageIds }, projectId: options.projectId } });
      return { imageIds, fileNames: images.map((image) => image.fileName) };
    },
  );
}
