/**
 * Throttling of password guessing and mass sign-up, stored in Postgres so that it holds across
 * web replicas. Each key ("account:<email>", "ip:<address>", "sign-up-ip:<address>") counts
 * events in a window; past its free allowance every further event locks the key for a growing
 * time (1 s, 2 s, 4 s, ... up to the cap), and attempts on a locked key are refused unchecked.
 */
import type { Db } from "~/server/db";

export const THROTTLE_POLICY = {
  windowMs: 15 * 60_000,
  maxLockMs: 15 * 60_000,
  /** Events a key may have in a window before locks start. */
  freeEvents: { account: 5, ip: 30, "sign-up-ip": 10 },
} as const;

export type ThrottleKind = keyof typeof THROTTLE_POLICY.freeEvents;
export type ThrottleKey = `${ThrottleKind}:${string}`;

export function throttleKey(kind: ThrottleKind, value: string): ThrottleKey {
  return `${kind}:${value.toLowerCase()}`;
}

/** How long to wait (ms) before any of `keys` may be tried again; 0 when none is locked. */
export async function throttleWaitMs(options: { db: Db; keys: readonly ThrottleKey[]; now?: Date }) {
  const now = options.now ?? new Date();
  const rows = await options.db.signInThrottle.findMany({
    where: { key: { in: [...options.keys] }, lockedUntil: { gt: now } },
    select: { lockedUntil: true },
  });
  return Math.max(0, ...rows.map((row) => row.lockedUntil!.getTime() - now.getTime()));
}

/** Counts one event (a failed sign-in, a sign-up) against each key, locking those past their allowance. */
export async function recordThrottledEvent(options: { db: Db; keys: readonly ThrottleKey[]; now?: Date }) {
  const now = options.now ?? new Date();
  const windowStartedBefore = new Date(now.getTime() - THROTTLE_POLICY.windowMs);
  for (const key of options.keys) {
    const [row] = await options.db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "SignInThrottle" ("key", "failures", "windowStart") VALUES (${key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartedBefore}
          THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartedBefore}
          THEN ${now} ELSE "SignInThrottle"."windowStart" END
      RETURNING "failures"`;
    const kind = key.slice(0, key.indexOf(":")) as ThrottleKind;
    const over = (row?.failures ?? 0) - THROTTLE_POLICY.freeEvents[kind];
    if (over > 0) {
      const lockMs = Math.min(THROTTLE_POLICY.maxLockMs, 1000 * 2 ** Math.min(over - 1, 20));
      await options.db.signInThrottle.update({
        where: { key },
        data: { lockedUntil: new Date(now.getTime() + lockMs) },
      });
    }
  }
}

/** A successful sign-in clears its account's count (not the address's: one account is not the IP). */
export async function clearThrottle(options: { db: Db; key: ThrottleKey }) {
  await options.db.signInThrottle.deleteMany({ where: { key: options.key } });
}

/**
 * The client's address as the reverse proxy reports it (first X-Forwarded-For entry, or
 * X-Real-IP); null when the app is reached directly, in which case only accounts are throttled.
 */
export function clientAddress(headers: Headers | undefined): string | null {
  const forwarded = headers?.get("x-forwarded-for")?.split(",")[0]?.trim();
  const address = forwarded || headers?.get("x-real-ip")?.trim();
  return address && address.length <= 64 ? address : null;
}
