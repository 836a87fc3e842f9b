/**
 * Byte lookups of the shared routes. The route wrapper has already resolved the token to an
 * active link (resolveShareLink); these find the image only inside the link's scope, in the query:
 * an image id from another dataset or project answers null exactly like an id that does not exist.
 */
import { findAnalysisMap } from "~/server/analysis/analysis-maps";
import { findNewestAnalysis } from "~/server/analysis/find-newest-analysis";
import type { Db } from "~/server/db";
import type { ActiveShareLink } from "./resolve-share-link";
import { imageInScopeWhere } from "./share-scope";

export async function findSharedImageBlob(options: { db: Db; link: ActiveShareLink; imageId: string }) {
  return options.db.image.findFirst({
    where: imageInScopeWhere(options.link, options.imageId),
    select: {
      blobKey: true,
      thumbnailKey: true,
      sha256: true,
      bitDepth: true,
      format: true,
      width: true,
      height: true,
    },
  });
}

/** The newest analysis' map `mapName` of a shared image, if the link includes that overlay. */
export async function findSharedOverlay(options: { db: Db; link: ActiveShareLink; imageId: string; mapName: string }) {
  const { link } = options;
  const analysis = await findNewestAnalysis({
    db: options.db,
    imageId: options.imageId,
    imageWhere: imageInScopeWhere(link, options.imageId),
  });
  if (!analysis) return null;
  const map = findAnalysisMap(analysis.mapKeys, options.mapName);
  if (!map || !(link.scope.include.overlays as string[]).includes(map.role)) return null;
  return map;
}
