import { CAPABILITY_MINIMUM_ROLE, ROLES, roleAtLeast } from "~/core/roles";
import type { Db } from "~/server/db";

/**
 * Which of `creatorIds` may still create share links in the project. A link lives only as long
 * as its creator keeps that right: removing the member, or lowering their role below it, ends
 * every link they made (links with no recorded creator are treated the same way).
 */
export async function creatorsWithShareRight(options: {
  db: Db;
  projectId: string;
  creatorIds: readonly string[];
}): Promise<Set<string>> {
  if (options.creatorIds.length === 0) return new Set();
  const sharingRoles = ROLES.filter((role) => roleAtLeast(role, CAPABILITY_MINIMUM_ROLE.share));
  const members = await options.db.membership.findMany({
    where: { projectId: options.projectId, userId: { in: [...options.creatorIds] }, role: { in: sharingRoles } },
    select: { userId: true },
  });
  return new Set(members.map((member) => member.userId));
}
