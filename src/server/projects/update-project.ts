import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";

export async function updateProject(options: {
  db: Db;
  projectId: string;
  actorId: string;
  name?: string;
  description?: string;
}) {
  return options.db.$transaction(async (tx) => {
    const project = await tx.project.update({
      where: { id: options.projectId },
      data: { name: options.name, description: options.description },
      select: { id: true, name: true, description: true },
    });
    await recordChange(tx, {
      projectId: project.id,
      actorId: options.actorId,
      action: "project.update",
      target: { type: "Project", id: project.id },
      data: { name: options.name ?? null, description: options.description ?? null },
    });
    return project;
  });
}
