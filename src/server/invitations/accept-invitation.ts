import type { Role } from "~/generated/prisma/enums";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { roleAtLeast } from "~/core/roles";
import { findOpenInvitation, type OpenInvitation } from "./find-open-invitation";
import { findMyOpenInvitation, userEmail } from "./my-invitations";

export type AcceptedInvitation = { projectId: string; role: Role; alreadyMember: boolean };

/**
 * Makes the signed-in user a member with the invitation's role. An invitation is single-use:
 * the conditional update that marks it accepted is what claims it, so two people racing with the
 * same link cannot both join. Someone who is already a member keeps the higher of the two roles
 * (an invitation never demotes) and the link stays unused for whom it was meant.
 * An invitation addressed to an email can only be accepted by the account with that email.
 */
export async function acceptInvitation(options: {
  db: Db;
  userId: string;
  token: string;
  now?: Date;
}): Promise<AcceptedInvitation> {
  const now = options.now ?? new Date();
  const invitation = await findOpenInvitation({ db: options.db, token: options.token, now });
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is invalid, expired, revoked or already used");
  if (invitation.email !== null && invitation.email !== (await userEmail(options.db, options.userId))) {
    throw new AppError(
      "FORBIDDEN",
      "This invitation was sent to another email address: sign in with the account it was sent to",
    );
  }
  return join({ db: options.db, userId: options.userId, invitation, now });
}

/** Accepts an invitation addressed to the signed-in user's email, from their list (no link needed). */
export async function acceptMyInvitation(options: {
  db: Db;
  userId: string;
  invitationId: string;
  now?: Date;
}): Promise<AcceptedInvitation> {
  const now = options.now ?? new Date();
  const invitation = await findMyOpenInvitation({ ...options, now });
  if (!invitation) throw new AppError("NOT_FOUND", "Invitation not found (or expired, revoked or already used)");
  return join({ db: options.db, userId: options.userId, invitation, now });
}

async function join(options: {
  db: Db;
  userId: string;
  invitation: OpenInvitation;
  now: Date;
}): Promise<AcceptedInvitation> {
  const { invitation, now } = options;
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
