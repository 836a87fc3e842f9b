import type { Role } from "~/generated/prisma/enums";
import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { generateSecretToken, hashSecretToken } from "~/server/sharing/secret-token";
import { INVITATION_MAX_DAYS } from "./invitation-limits";

/**
 * Creates an invitation link for a role (no mail server is assumed: the owner passes the link
 * on). The token is returned once and only its hash is stored, so the link cannot be shown again.
 */
export async function createInvitation(
  options: ProjectChangeScope & { role: Role; expiresInDays: number; now?: Date },
): Promise<{ id: string; token: string; role: Role; expiresAt: Date }> {
  if (!(options.expiresInDays > 0 && options.expiresInDays <= INVITATION_MAX_DAYS)) {
    throw new AppError("BAD_INPUT", `An invitation expires after 1 to ${INVITATION_MAX_DAYS} days`);
  }
  const token = generateSecretToken();
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.expiresInDays * 86_400_000);
  const record = {
    action: "invitation.create",
    target: (created: { id: string }) => ({ type: "Invitation", id: created.id }),
    data: { role: options.role, expiresAt: expiresAt.toISOString() },
  } as const;
  const invitation = await changeProject(options, record, (tx) =>
    tx.invitation.create({
      data: {
        projectId: options.projectId,
        tokenHash: hashSecretToken(token),
        role: options.role,
        expiresAt,
        createdById: options.actorId,
      },
      select: { id: true },
    }),
  );
  return { id: invitation.id, token, role: options.role, expiresAt };
}
