import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** Callers have passed the permission helper for this project. */
export async function getProject(options: { db: Db; projectId: string }) {
  const project = await options.db.project.findUnique({
    where: { id: options.projectId },
    select: { id: true, name: true, description: true, createdAt: true, updatedAt: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "Project not found");
  return project;
}
