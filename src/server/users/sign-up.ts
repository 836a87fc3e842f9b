import type { Db } from "~/server/db";
import { hashPassword } from "~/server/auth/password";
import { AppError, isUniqueViolation } from "~/server/errors";
import { clientAddress, recordThrottledEvent, throttleKey, throttleWaitMs } from "./sign-in-throttle";

/** The one answer to every sign-up, whether or not the address already has an account. */
export const SIGN_UP_ANSWER = {
  message: "If this email address is new, its account is ready: sign in with the password you chose.",
} as const;

/**
 * Creates an account. The answer and its timing are the same when the address is taken (the
 * password is hashed either way), so sign-up tells nobody which addresses have accounts; with
 * no email proof available, the following sign-in is the only confirmation, and it is throttled.
 * Sign-ups per client address are throttled too (mass account creation).
 */
export async function signUp(options: {
  db: Db;
  email: string;
  password: string;
  name?: string;
  headers?: Headers;
}): Promise<typeof SIGN_UP_ANSWER> {
  const address = clientAddress(options.headers);
  const keys = address ? [throttleKey("sign-up-ip", address)] : [];
  const waitMs = await throttleWaitMs({ db: options.db, keys });
  if (waitMs > 0) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many accounts were created from your address; try again in ${Math.ceil(waitMs / 1000)} s.`,
    );
  }
  await recordThrottledEvent({ db: options.db, keys });
  const passwordHash = await hashPassword(options.password);
  try {
    await options.db.user.create({
      data: { email: options.email.toLowerCase(), name: options.name ?? null, passwordHash },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return SIGN_UP_ANSWER;
}
