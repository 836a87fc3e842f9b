import type { Db } from "~/server/db";

/** The project's invitations that can still be accepted (not accepted, revoked or expired). */
export async function listInvitations(options: { db: Db; projectId: string; now?: Date }) {
  return options.db.invitation.findMany({
    where: {
      projectId: options.projectId,
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { gt: options.now ?? new Date() },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, expiresAt: true, createdAt: true, createdById: true },
  });
}
