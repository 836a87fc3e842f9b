import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { changeProject } from "~/server/audit/record-change";
import { AppError, isUniqueViolation } from "~/server/errors";

/** Adds an existing account by email. (People without an account get an invitation link.) */
export async function addMember(options: { db: Db; projectId: string; actorId: string; email: string; role: Role }) {
  const user = await options.db.user.findUnique({
    where: { email: options.email.toLowerCase() },
    select: { id: true, email: true },
  });
  if (!user) {
    throw new AppError("NOT_FOUND", `No account uses ${options.email}; ask them to sign up first`);
  }
  try {
    const record = {
      action: "member.add",
      target: { type: "User", id: user.id },
      data: { role: options.role },
    } as const;
    await changeProject(options, record, (tx) =>
      tx.membership.create({ data: { projectId: options.projectId, userId: user.id, role: options.role } }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${user.email} is already a member`);
    throw error;
  }
  return { userId: user.id, email: user.email, role: options.role };
}
