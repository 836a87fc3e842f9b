/**
 * Server-side sessions behind the signed JWT cookie, so that a session can end before its cookie
 * expires: the cookie carries a random session id, every request checks that its row still
 * exists, and signing out (here or "everywhere") or deleting the user removes the rows.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "~/server/db";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export async function startSession(options: { db: Db; userId: string }): Promise<string> {
  const sessionToken = randomBytes(32).toString("base64url");
  await options.db.session.create({
    data: {
      sessionToken,
      userId: options.userId,
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    },
  });
  return sessionToken;
}

/** Whether the session is still open for this user (not signed out, not expired, user not deleted). */
export async function isSessionLive(options: { db: Db; sessionToken: string; userId: string }) {
  const session = await options.db.session.findUnique({
    where: { sessionToken: options.sessionToken },
    select: { userId: true, expires: true },
  });
  return session !== null && session.userId === options.userId && session.expires > new Date();
}

export async function endSession(options: { db: Db; sessionToken: string }): Promise<void> {
  await options.db.session.deleteMany({ where: { sessionToken: options.sessionToken } });
}

/** "Sign out everywhere": every session of the user ends at its next request. */
export async function endAllSessions(options: { db: Db; userId: string }): Promise<number> {
  const { count } = await options.db.session.deleteMany({ where: { userId: options.userId } });
  return count;
}
