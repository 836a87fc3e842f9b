import type { Db } from "~/server/db";
import { hashSecretToken, isSecretTokenShape } from "~/server/sharing/secret-token";

/**
 * The invitation a token opens, if it can still be accepted. The token is the credential: the
 * lookup is by its hash, and used, revoked and expired invitations are all simply "not found".
 */
export async function findOpenInvitation(options: { db: Db; token: string; now?: Date }) {
  if (!isSecretTokenShape(options.token)) return null;
  return options.db.invitation.findFirst({
    where: {
      tokenHash: hashSecretToken(options.token),
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { gt: options.now ?? new Date() },
    },
    select: { id: true, projectId: true, role: true, expiresAt: true, project: { select: { name: true } } },
  });
}
