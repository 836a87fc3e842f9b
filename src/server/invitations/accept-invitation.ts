import type { Role } from "~/generated/prisma/enums";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { roleAtLeast } from "~/core/roles";
import { findOpenInvitation } from "./find-open-invitation";

/**
 * Makes the signed-in user a member with the invitation's role. An invitation is single-use:
 * the conditional update that marks it accepted is what claims it, so two people racing with the
 * same link cannot both join. Someone who is already a member keeps the higher of the two roles
 * (an invitation never demotes) and the link stays unused for whom it was meant.
 */
export async function acceptInvitation(options: {
  db: Db;
  userId: string;
  token: string;
  now?: Date;
}): Promise<{ projectId: string; role: Role; alreadyMember: boolean }> {
  const now = options.now ?? new Date();
  const invitation = await findOpenInvitation({ db: options.db, token: options.token, now });
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is invalid, expired, revoked or already used");

  const existing = await options.db.membership.findUnique({
    where: { projectId_userId: { projectId: invitation.projectId, userId: options.userId } },
    select: { role: true },
  });
  if (existing && roleAtLeast(existing.role, invitation.role)) {
    return { projectId: invitation.projectId, role: existing.role, alreadyMember: true };
  }

  return options.db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count === 0) throw new AppError("NOT_FOUND", "This invitation link was just used or revoked");
    await tx.membership.upsert({
      where: { projectId_userId: { projectId: invitation.projectId, userId: options.userId } },
      create: { projectId: invitation.projectId, userId: options.userId, role: invitation.role },
      update: { role: invitation.role },
    });
    await recordChange(tx, {
      projectId: invitation.projectId,
      actorId: options.userId,
      action: "invitation.accept",
      target: { type: "Invitation", id: invitation.id },
      data: { role: invitation.role, previousRole: existing?.role ?? null },
    });
    return { projectId: invitation.projectId, role: invitation.role, alreadyMember: existing !== null };
  });
}
