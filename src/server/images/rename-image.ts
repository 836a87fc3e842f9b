import { checkImageFileName } from "~/core/file-names";
import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

/**
 * Renames an image (its file name only; the bytes and their sha256 stay). The name is checked by
 * THE file-name rule (core/file-names): BAD_INPUT with the reason when it is refused.
 */
export async function renameImage(options: ProjectChangeScope & { imageId: string; fileName: string }) {
  const { imageId } = options;
  const image = await options.db.image.findFirst({
    where: { id: imageId, projectId: options.projectId },
    select: { fileName: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const checked = checkImageFileName(options.fileName, image.fileName);
  if (!checked.ok) throw new AppError("BAD_INPUT", checked.message);
  const fileName = checked.name;
  return changeProject(
    options,
    { action: "image.rename", target: { type: "Image", id: imageId }, data: { fileName, from: image.fileName } },
    (tx) => tx.image.update({ where: { id: imageId }, data: { fileName }, select: { id: true, fileName: true } }),
  );
}
