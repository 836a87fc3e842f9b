/**
 * The read-only image list of a dataset share link, cursor-paged. For an image link it answers
 * NOT_FOUND: an image link never reveals the dataset around its image.
 */
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { resolveShareLink } from "./resolve-share-link";
import { SHARED_IMAGES_PAGE_SIZE } from "./share-limits";
import { sharedImageUrl } from "./shared-urls";

export type SharedDatasetPage = {
  datasetName: string;
  images: {
    id: string;
    fileName: string;
    thumbnailUrl: string;
    label: string | null;
    prediction: string | null;
  }[];
  nextCursor: string | null;
};

export async function listSharedDataset(options: {
  db: Db;
  token: string;
  cursor?: string;
}): Promise<SharedDatasetPage> {
  const { db, token } = options;
  const link = await resolveShareLink({ db, token });
  if (link.scope.kind !== "dataset") throw new AppError("NOT_FOUND", "Not a dataset link");
  const dataset = await db.dataset.findFirst({
    where: { id: link.scope.datasetId, projectId: link.projectId },
    select: { id: true, name: true },
  });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  const { include } = link.scope;
  const rows = await db.image.findMany({
    where: { datasetId: dataset.id, projectId: link.projectId },
    orderBy: { id: "asc" },
    take: SHARED_IMAGES_PAGE_SIZE + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      fileName: true,
      label: { select: { labelClass: { select: { name: true } } } },
      analyses: { orderBy: { createdAt: "desc" }, take: 1, select: { prediction: true } },
    },
  });
  const page = rows.slice(0, SHARED_IMAGES_PAGE_SIZE);
  return {
    datasetName: dataset.name,
    images: page.map((image) => ({
      id: image.id,
      fileName: image.fileName,
      thumbnailUrl: sharedImageUrl(token, image.id, "thumbnail"),
      label: include.annotations ? (image.label?.labelClass.name ?? null) : null,
      prediction: include.prediction ? (image.analyses[0]?.prediction ?? null) : null,
    })),
    nextCursor: rows.length > SHARED_IMAGES_PAGE_SIZE ? page[page.length - 1]!.id : null,
  };
}
