/**
 * THE permission helper: every project-scoped operation resolves the caller's role here.
 * Non-members get NOT_FOUND (a project's existence is not revealed); members below the
 * required role get FORBIDDEN.
 */
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

export const ROLES = ["VIEWER", "ANNOTATOR", "EDITOR", "OWNER"] as const satisfies readonly Role[];

/** Higher rank includes every permission of the lower ones. */
export const ROLE_RANK: Record<Role, number> = { VIEWER: 0, ANNOTATOR: 1, EDITOR: 2, OWNER: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

export async function resolveProjectRole(options: {
  db: Db;
  userId: string;
  projectId: string;
}): Promise<Role | null> {
  const membership = await options.db.membership.findUnique({
    where: { projectId_userId: { projectId: options.projectId, userId: options.userId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

export async function requireProjectRole(options: {
  db: Db;
  userId: string;
  projectId: string;
  minimum: Role;
}): Promise<Role> {
  const role = await resolveProjectRole(options);
  if (role === null) throw new AppError("NOT_FOUND", "Project not found");
  if (!roleAtLeast(role, options.minimum)) {
    throw new AppError("FORBIDDEN", `This needs the ${options.minimum} role or higher; you are ${role}`);
  }
  return role;
}
