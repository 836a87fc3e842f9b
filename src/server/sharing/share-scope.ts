/**
 * What a share link opens, stored in ShareLink.scope. Persisted: add fields or versions, never
 * rename. A link opens exactly one dataset or one image of the link's project, and of their
 * results only the parts listed in `include`.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { MAP_ROLES } from "~/server/analysis/analysis-maps";

/** Overlays a link may show: every stored map role except the plain grey analysis image. */
export const SHAREABLE_OVERLAYS = MAP_ROLES.filter((role) => role !== "grey");
export type ShareableOverlay = (typeof SHAREABLE_OVERLAYS)[number];

export const shareIncludeSchema = z.object({
  /** Map roles shown over the image (segmentation, contrast, clusters, cam). */
  overlays: z
    .array(z.enum(SHAREABLE_OVERLAYS as [ShareableOverlay, ...ShareableOverlay[]]))
    .max(SHAREABLE_OVERLAYS.length),
  annotations: z.boolean(),
  prediction: z.boolean(),
  metrics: z.boolean(),
});
export type ShareInclude = z.infer<typeof shareIncludeSchema>;

export const shareScopeSchema = z.discriminatedUnion("kind", [
  z.object({ v: z.literal(1), kind: z.literal("dataset"), datasetId: idSchema, include: shareIncludeSchema }),
  z.object({ v: z.literal(1), kind: z.literal("image"), imageId: idSchema, include: shareIncludeSchema }),
]);
export type ShareScope = z.infer<typeof shareScopeSchema>;

/** The database condition "image is inside this link": always together with the link's project. */
export function imageInScopeWhere(link: { projectId: string; scope: ShareScope }, imageId: string) {
  return link.scope.kind === "image"
    ? { id: imageId, projectId: link.projectId, AND: [{ id: link.scope.imageId }] }
    : { id: imageId, projectId: link.projectId, datasetId: link.scope.datasetId };
}
