import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";

/**
 * The reference's two morphology classes, so a new project can label at once. Named like the
 * shipped model's classes (compared without case), so that "prediction disagrees with label"
 * works out of the box and a retrained head keeps the same class names.
 */
export const DEFAULT_LABEL_CLASSES = [
  { name: "Dendritic", color: "#e4572e", position: 0 },
  { name: "Spherical", color: "#17bebb", position: 1 },
] as const;

export async function createProject(options: { db: Db; userId: string; name: string; description?: string }) {
  return options.db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: {
        name: options.name,
        description: options.description ?? "",
        memberships: { create: { userId: options.userId, role: "OWNER" } },
        labelClasses: { create: [...DEFAULT_LABEL_CLASSES] },
      },
    });
    await recordChange(tx, {
      projectId: project.id,
      actorId: options.userId,
      action: "project.create",
      target: { type: "Project", id: project.id },
    });
    return project;
  });
}
