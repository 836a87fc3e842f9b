import type { Role } from "~/generated/prisma/enums";
import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { generateSecretToken, hashSecretToken } from "~/server/sharing/secret-token";
import { INVITATION_MAX_DAYS } from "./invitation-limits";
import { normalizeInvitationEmail } from "./invitation-email";

export type CreatedInvitation = { id: string; token: string; role: Role; email: string | null; expiresAt: Date };

/**
 * Creates an invitation link for a role (no mail server is assumed: the owner passes the link
 * on). The token is returned once and only its hash is stored, so the link cannot be shown again.
 *
 * With `email`, the invitation is addressed: only the account with that email can accept it (by
 * the link, or from its own list of invitations once signed in). Nobody joins without accepting,
 * and the answer is the same whether or not an account uses the email: no lookup of accounts
 * happens here. A newer invitation to the same address replaces the older pending ones.
 */
export async function createInvitation(
  options: ProjectChangeScope & { role: Role; expiresInDays: number; email?: string | null; now?: Date },
): Promise<CreatedInvitation> {
  if (!(options.expiresInDays > 0 && options.expiresInDays <= INVITATION_MAX_DAYS)) {
    throw new AppError("BAD_INPUT", `An invitation expires after 1 to ${INVITATION_MAX_DAYS} days`);
  }
  const email = options.email ? normalizeInvitationEmail(options.email) : null;
  const token = generateSecretToken();
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.expiresInDays * 86_400_000);
  const record = {
    action: "invitation.create",
    target: (created: { id: string }) => ({ type: "Invitation", id: created.id }),
    // The address itself stays out of the activity log (members read it); the row keeps it.
    data: { role: options.role, expiresAt: expiresAt.toISOString(), addressed: email !== null },
  } as const;
  const invitation = await changeProject(options, record, async (tx) => {
    if (email !== null) {
      // Members are listed to owners anyway: saying so reveals nothing about other accounts.
      const member = await tx.membership.findFirst({
        where: { projectId: options.projectId, user: { email } },
        select: { userId: true },
      });
      if (member) throw new AppError("CONFLICT", `${email} is already a member`);
      await tx.invitation.updateMany({
        where: { projectId: options.projectId, email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
    }
    return tx.invitation.create({
      data: {
        projectId: options.projectId,
        tokenHash: hashSecretToken(token),
        role: options.role,
        email,
        expiresAt,
        createdById: options.actorId,
      },
      select: { id: true },
    });
  });
  return { id: invitation.id, token, role: options.role, email, expiresAt };
}
