/**
 * Bearer tokens for share links and invitations: 32 random bytes, base64url in the URL, and only
 * their sha256 in the database. A leaked database therefore leaks no working link, and a lookup
 * by hash (a unique index) compares nothing byte by byte in JavaScript, so there is no timing
 * side channel to guess tokens from.
 */
import { createHash, randomBytes } from "node:crypto";

const TOKEN_BYTES = 32;
/** base64url of 32 bytes is 43 characters. */
export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateSecretToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True for strings shaped like our tokens; anything else is refused before any query. */
export function isSecretTokenShape(token: string): boolean {
  return SECRET_TOKEN_PATTERN.test(token);
}
