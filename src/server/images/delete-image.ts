import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

/** Deletes the row; the blob stays (content-addressed, possibly shared by other images). */
export async function deleteImage(options: ProjectChangeScope & { imageId: string }) {
  const where = { id: options.imageId, projectId: options.projectId };
  await changeProject(options, { action: "image.delete", target: { type: "Image", id: where.id } }, async (tx) =>
    assertTouched(await tx.image.deleteMany({ where }), "Image not found"),
  );
}
