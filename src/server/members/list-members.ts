import type { Db } from "~/server/db";

export async function listMembers(options: { db: Db; projectId: string }) {
  const memberships = await options.db.membership.findMany({
    where: { projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return memberships.map((m) => ({ ...m.user, userId: m.user.id, role: m.role, since: m.createdAt }));
}
