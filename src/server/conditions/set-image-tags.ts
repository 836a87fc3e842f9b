/**
 * conditions.set: sets and removes condition tags on several images at once (the grid's "Set
 * condition" on a selection). Every image must be the project's; a key set here replaces the
 * image's value for that key whatever its source, and becomes "manual". The bound on tags per
 * image is checked inside the transaction, so a change that would pass it stores nothing.
 * Audited as "imageTags.set".
 */
import "server-only";
import { TAG_LIMITS, type TagValue } from "~/core/conditions/tags";
import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { tagRowColumns } from "./tag-rows";

/** The audit row names at most this many images (the count is always there). */
const AUDITED_IMAGE_IDS = 100;

export const SET_TAGS_MESSAGE = {
  nothing: "Nothing to change: set or remove at least one condition.",
  both: (key: string) => `The condition "${key}" is both set and removed; choose one.`,
  tooMany: (fileCount: number) =>
    `This would give ${fileCount === 1 ? "an image" : `${fileCount} images`} more than ${TAG_LIMITS.maxTagsPerImage} conditions; remove some first.`,
} as const;

export async function setImageTags(
  options: ProjectChangeScope & { imageIds: string[]; set: TagValue[]; remove: string[] },
): Promise<{ images: number }> {
  const { db, projectId } = options;
  const imageIds = [...new Set(options.imageIds)];
  const remove = [...new Set(options.remove)];
  if (options.set.length === 0 && remove.length === 0) throw new AppError("BAD_INPUT", SET_TAGS_MESSAGE.nothing);
  const setKeys = new Set(options.set.map((tag) => tag.key));
  const conflict = remove.find((key) => setKeys.has(key));
  if (conflict !== undefined) throw new AppError("BAD_INPUT", SET_TAGS_MESSAGE.both(conflict));

  const found = await db.image.count({ where: { id: { in: imageIds }, projectId } });
  if (found !== imageIds.length) throw new AppError("NOT_FOUND", "Image not found");

  await changeProject(
    options,
    {
      action: "imageTags.set",
      target: imageIds.length === 1 ? { type: "Image", id: imageIds[0]! } : { type: "Image", id: null },
      data: {
        imageIds: imageIds.slice(0, AUDITED_IMAGE_IDS),
        images: imageIds.length,
        set: options.set.map((tag) => ({ key: tag.key, value: tag.value, unit: tag.unit })),
        remove,
      },
    },
    async (tx) => {
      await tx.imageTag.deleteMany({
        where: { projectId, imageId: { in: imageIds }, key: { in: [...setKeys, ...remove] } },
      });
      if (options.set.length > 0) {
        await tx.imageTag.createMany({
          data: imageIds.flatMap((imageId) =>
            options.set.map((tag) => ({ projectId, imageId, ...tagRowColumns(tag, "manual") })),
          ),
        });
        const crowded = await tx.imageTag.groupBy({
          by: ["imageId"],
          where: { projectId, imageId: { in: imageIds } },
          having: { imageId: { _count: { gt: TAG_LIMITS.maxTagsPerImage } } },
        });
        if (crowded.length > 0) throw new AppError("BAD_INPUT", SET_TAGS_MESSAGE.tooMany(crowded.length));
      }
    },
  );
  return { images: imageIds.length };
}
