import type { Prisma } from "~/generated/prisma/client";
import { AppError } from "~/server/errors";

/** Called inside the transaction that changes memberships, after the change. */
export async function assertOwnerRemains(tx: Prisma.TransactionClient, projectId: string) {
  const owners = await tx.membership.count({ where: { projectId, role: "OWNER" } });
  if (owners === 0) {
    throw new AppError("CONFLICT", "A project needs at least one owner: make someone else owner first");
  }
}
