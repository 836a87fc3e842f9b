import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

/** Deletes the row; the blob stays (content-addressed, possibly shared by other images). */
export async function deleteImage(options: ProjectChangeScope & { imageId: string }) {
  const target = { type: "Image", id: options.imageId };
  await changeProject(options, { action: "image.delete", target }, async (tx) =>
    assertTouched(
      await tx.image.deleteMany({ where: { id: options.imageId, projectId: options.projectId } }),
      "Image not found",
    ),
  );
}
