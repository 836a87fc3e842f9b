/** Test data builders on the real database. */
import { randomBytes } from "node:crypto";
import type { Session } from "next-auth";
import type { Role } from "~/generated/prisma/enums";
import { createCaller } from "~/server/api/root";
import type { Db } from "~/server/db";

export async function seedUser(db: Db, label = "user") {
  const email = `${label}-${randomBytes(4).toString("hex")}@example.test`;
  return db.user.create({ data: { email, name: label } });
}

export function sessionFor(user: { id: string; email: string }): Session {
  return {
    user: { id: user.id, email: user.email },
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

export function callerFor(db: Db, user: { id: string; email: string } | null) {
  return createCaller({ db, session: user ? sessionFor(user) : null });
}

/** A project whose members hold the given roles (keyed by the user label). */
export async function seedProject(db: Db, members: Record<string, Role>) {
  const users: Record<string, { id: string; email: string }> = {};
  for (const label of Object.keys(members)) users[label] = await seedUser(db, label);
  const project = await db.project.create({
    data: {
      name: `project-${randomBytes(3).toString("hex")}`,
      memberships: {
        create: Object.entries(members).map(([label, role]) => ({ userId: users[label]!.id, role })),
      },
    },
  });
  return { project, users };
}
