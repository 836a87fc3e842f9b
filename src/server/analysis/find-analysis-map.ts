import type { Db } from "~/server/db";
import { findAnalysisMap } from "./analysis-maps";

/**
 * The blob key of one stored map and the project it belongs to. No access rule in this lookup:
 * the route handler checks the caller's role in `projectId` right after, hence "unsafe".
 */
export async function unsafeFindAnalysisMap(options: { db: Db; analysisId: string; map: string }) {
  const analysis = await options.db.analysis.findUnique({
    where: { id: options.analysisId },
    select: { mapKeys: true, image: { select: { projectId: true } } },
  });
  if (!analysis) return null;
  const map = findAnalysisMap(analysis.mapKeys, options.map);
  return map ? { projectId: analysis.image.projectId, blobKey: map.ref.key } : null;
}
