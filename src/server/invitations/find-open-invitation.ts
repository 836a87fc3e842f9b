import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { hashSecretToken, isSecretTokenShape } from "~/server/sharing/secret-token";

/** Invitations that can still be accepted: not accepted, revoked (or declined) or expired. */
export function openInvitationWhere(now: Date): Prisma.InvitationWhereInput {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
}

export const openInvitationSelect = {
  id: true,
  projectId: true,
  role: true,
  email: true,
  expiresAt: true,
  project: { select: { name: true } },
} as const satisfies Prisma.InvitationSelect;

export type OpenInvitation = Prisma.InvitationGetPayload<{ select: typeof openInvitationSelect }>;

/**
 * The invitation a token opens, if it can still be accepted. The token is the credential: the
 * lookup is by its hash, and used, revoked and expired invitations are all simply "not found".
 */
export async function findOpenInvitation(options: { db: Db; token: string; now?: Date }) {
  if (!isSecretTokenShape(options.token)) return null;
  return options.db.invitation.findFirst({
    where: { tokenHash: hashSecretToken(options.token), ...openInvitationWhere(options.now ?? new Date()) },
    select: openInvitationSelect,
  });
}
