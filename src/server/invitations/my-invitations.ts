import type { Role } from "~/generated/prisma/enums";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { openInvitationSelect, openInvitationWhere, type OpenInvitation } from "./find-open-invitation";

/** The signed-in user's email (accounts store it lower-cased). */
export async function userEmail(db: Db, userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new AppError("NOT_FOUND", "Account not found");
  return user.email;
}

/** An open invitation addressed to the user's email, by id; null for anyone else's. */
export async function findMyOpenInvitation(options: {
  db: Db;
  userId: string;
  invitationId: string;
  now?: Date;
}): Promise<OpenInvitation | null> {
  const email = await userEmail(options.db, options.userId);
  return options.db.invitation.findFirst({
    where: { id: options.invitationId, email, ...openInvitationWhere(options.now ?? new Date()) },
    select: openInvitationSelect,
  });
}

export type MyInvitation = {
  id: string;
  projectName: string;
  role: Role;
  expiresAt: Date;
  invitedBy: string | null;
};

/**
 * The open invitations addressed to the signed-in user's email, for "Invitations for you": the
 * project's name, the role, the expiry and who invited them. Nothing more until they accept.
 */
export async function listMyInvitations(options: { db: Db; userId: string; now?: Date }): Promise<MyInvitation[]> {
  const email = await userEmail(options.db, options.userId);
  const invitations = await options.db.invitation.findMany({
    where: { email, ...openInvitationWhere(options.now ?? new Date()) },
    orderBy: { createdAt: "desc" },
    select: { ...openInvitationSelect, createdById: true },
  });
  const inviters = await options.db.user.findMany({
    where: { id: { in: [...new Set(invitations.map((i) => i.createdById))] } },
    select: { id: true, name: true, email: true },
  });
  const inviterName = new Map(inviters.map((u) => [u.id, u.name ?? u.email]));
  return invitations.map((i) => ({
    id: i.id,
    projectName: i.project.name,
    role: i.role,
    expiresAt: i.expiresAt,
    invitedBy: inviterName.get(i.createdById) ?? null,
  }));
}

/** Declines an invitation addressed to the signed-in user: it stops working, and nobody joins. */
export async function declineMyInvitation(options: {
  db: Db;
  userId: string;
  invitationId: string;
  now?: Date;
}): Promise<{ id: string }> {
  const now = options.now ?? new Date();
  const invitation = await findMyOpenInvitation({ ...options, now });
  const notFound = "Invitation not found (or expired, revoked or already used)";
  if (!invitation) throw new AppError("NOT_FOUND", notFound);
  await options.db.$transaction(async (tx) => {
    const declined = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (declined.count === 0) throw new AppError("NOT_FOUND", notFound);
    await recordChange(tx, {
      projectId: invitation.projectId,
      actorId: options.userId,
      action: "invitation.decline",
      target: { type: "Invitation", id: invitation.id },
      data: { role: invitation.role },
    });
  });
  return { id: invitation.id };
}
