/**
 * THE permission helper: every project-scoped operation resolves the caller's role here.
 * Non-members get NOT_FOUND (a project's existence is not revealed); members below the
 * required role get FORBIDDEN.
 */
import "server-only";
import { roleAtLeast, type Role } from "~/core/roles";
import type { Role as DatabaseRole } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

// The core's role list and the database enum must name the same roles.
type SameRoles = [Role] extends [DatabaseRole] ? ([DatabaseRole] extends [Role] ? true : never) : never;
const rolesMatchDatabase: SameRoles = true;
void rolesMatchDatabase;

export async function resolveProjectRole(options: { db: Db; userId: string; projectId: string }): Promise<Role | null> {
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
