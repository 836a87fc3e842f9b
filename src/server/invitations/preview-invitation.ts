import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { findOpenInvitation } from "./find-open-invitation";

export type InvitationPreview = { projectName: string; role: Role; expiresAt: Date };

/**
 * What the invite page shows before anyone signs in: the project's name, the role and the expiry.
 * Nothing else (no members, no ids): holding the link entitles one to know what it is for.
 */
export async function previewInvitation(options: { db: Db; token: string; now?: Date }): Promise<InvitationPreview> {
  const invitation = await findOpenInvitation(options);
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is invalid, expired, revoked or already used");
  return { projectName: invitation.project.name, role: invitation.role, expiresAt: invitation.expiresAt };
}
