import type { Db } from "~/server/db";
import { hashPassword, verifyPassword } from "~/server/auth/password";
import {
  clearThrottle,
  clientAddress,
  recordThrottledEvent,
  throttleKey,
  throttleWaitMs,
  type ThrottleKey,
} from "./sign-in-throttle";

/** A hash of nothing in particular, verified against when the account does not exist. */
let decoyHash: Promise<string> | undefined;

export type PasswordSignIn =
  | { kind: "signed-in"; user: { id: string; email: string; name: string | null } }
  | { kind: "refused" }
  | { kind: "throttled"; retryAfterMs: number };

/**
 * Email + password sign-in. An unknown account costs the same password hash as a known one
 * (no enumeration by timing); failures count against the account and the client's address,
 * and a throttled key is refused before any password is checked.
 */
export async function signInWithPassword(options: {
  db: Db;
  email: string;
  password: string;
  headers?: Headers;
}): Promise<PasswordSignIn> {
  const email = options.email.toLowerCase();
  const address = clientAddress(options.headers);
  const accountKey = throttleKey("account", email);
  const keys: ThrottleKey[] = address ? [accountKey, throttleKey("ip", address)] : [accountKey];
  const retryAfterMs = await throttleWaitMs({ db: options.db, keys });
  if (retryAfterMs > 0) return { kind: "throttled", retryAfterMs };

  const user = await options.db.user.findUnique({ where: { email } });
  decoyHash ??= hashPassword("decoy password for unknown accounts");
  const valid = await verifyPassword(options.password, user?.passwordHash ?? (await decoyHash));
  if (user?.passwordHash && valid) {
    await clearThrottle({ db: options.db, key: accountKey });
    return { kind: "signed-in", user: { id: user.id, email: user.email, name: user.name } };
  }
  await recordThrottledEvent({ db: options.db, keys });
  return { kind: "refused" };
}

/** Links an OIDC identity to the user with the same email, creating the user if needed. */
export async function upsertOidcUser(options: {
  db: Db;
  email: string;
  name: string | null;
  provider: string;
  providerAccountId: string;
  type: string;
}) {
  const email = options.email.toLowerCase();
  const user = await options.db.user.upsert({
    where: { email },
    update: {},
    create: { email, name: options.name },
  });
  await options.db.account.upsert({
    where: {
      provider_providerAccountId: {
        provider: options.provider,
        providerAccountId: options.providerAccountId,
      },
    },
    update: {},
    create: {
      userId: user.id,
      type: options.type,
      provider: options.provider,
      providerAccountId: options.providerAccountId,
    },
  });
  return user;
}
