import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";

export async function updateProject(options: {
  db: Db;
  projectId: string;
  actorId: string;
  name?: string;
  description?: string;
}) {
  const project = await options.db.project.update({
    where: { id: options.projectId },
    data: { name: options.name, description: options.description },
    select: { id: true, name: true, description: true },
  });
  await recordAuditEvent({
    db: options.db,
    projectId: project.id,
    actorId: options.actorId,
    action: "project.update",
    targetType: "Project",
    targetId: project.id,
    data: { name: options.name ?? null, description: options.description ?? null },
  });
  return project;
}
