import type { Db } from "~/server/db";
import { openInvitationWhere } from "./find-open-invitation";

/** The project's invitations that can still be accepted (not accepted, revoked, declined or expired). */
export async function listInvitations(options: { db: Db; projectId: string; now?: Date }) {
  return options.db.invitation.findMany({
    where: { projectId: options.projectId, ...openInvitationWhere(options.now ?? new Date()) },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, email: true, expiresAt: true, createdAt: true, createdById: true },
  });
}
