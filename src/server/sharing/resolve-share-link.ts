import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { creatorsWithShareRight } from "./creators-with-share-right";
import { hashSecretToken, isSecretTokenShape } from "./secret-token";
import { shareScopeSchema, type ShareScope } from "./share-scope";

export type ActiveShareLink = { id: string; projectId: string; scope: ShareScope };

/**
 * THE check of every shared page and byte route: the link a token opens, if it is neither
 * revoked nor expired and its creator may still share in the project (creators-with-share-right.ts). Looked up by the token's hash; anything else (malformed token, unknown,
 * revoked, expired, unreadable scope) is the same NOT_FOUND, so a probe learns nothing.
 */
export async function resolveShareLink(options: { db: Db; token: string; now?: Date }): Promise<ActiveShareLink> {
  const notFound = new AppError("NOT_FOUND", "This link does not exist, has expired or was revoked");
  if (!isSecretTokenShape(options.token)) throw notFound;
  const now = options.now ?? new Date();
  const link = await options.db.shareLink.findFirst({
    where: {
      tokenHash: hashSecretToken(options.token),
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { id: true, projectId: true, scope: true, createdById: true },
  });
  if (!link?.createdById) throw notFound;
  const creators = await creatorsWithShareRight({
    db: options.db,
    projectId: link.projectId,
    creatorIds: [link.createdById],
  });
  if (!creators.has(link.createdById)) throw notFound;
  const scope = shareScopeSchema.safeParse(link.scope);
  if (!scope.success) throw notFound;
  return { id: link.id, projectId: link.projectId, scope: scope.data };
}
