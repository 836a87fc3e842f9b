import type { Db } from "~/server/db";
import { REGION_SELECT, toRegionDto } from "./region-dto";
import { findProjectImage } from "./find-project-image";

/** The image-level label and every region of one image. */
export async function listImageAnnotations(options: { db: Db; projectId: string; imageId: string }) {
  const image = await findProjectImage(options);
  const [label, regions] = await Promise.all([
    options.db.imageLabel.findUnique({
      where: { imageId: image.id },
      select: { labelClassId: true, authorId: true, updatedAt: true },
    }),
    options.db.region.findMany({
      where: { imageId: image.id, image: { projectId: options.projectId } },
      orderBy: { createdAt: "asc" },
      select: REGION_SELECT,
    }),
  ]);
  return { label, regions: regions.map(toRegionDto) };
}
