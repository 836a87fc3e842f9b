/**
 * Password sign-in under attack: guessing is throttled per account and per client address
 * (in Postgres), and an unknown account costs as much time as a known one.
 */
import { describe, expect, it } from "vitest";
import { hashPassword } from "~/server/auth/password";
import { db } from "~/server/db";
import { signInWithPassword } from "../authenticate";
import { THROTTLE_POLICY } from "../sign-in-throttle";

async function createAccount(email: string, password: string) {
  await db.user.create({ data: { email, passwordHash: await hashPassword(password) } });
}

const fromAddress = (address: string) => new Headers({ "x-forwarded-for": `${address}, 10.0.0.1` });

/**
 * The fastest of several runs: other test files run in parallel on the same cores, and
 * interference only ever adds time, so the minimum is the steadiest estimate of the work itself.
 */
function fastest(values: number[]): number {
  return Math.min(...values);
}

describe("password sign-in", () => {
  it("signs in with the right password and refuses a wrong one", async () => {
    await createAccount("ok@example.test", "right password");
    expect(await signInWithPassword({ db, email: "OK@example.test", password: "right password" })).toMatchObject({
      kind: "signed-in",
      user: { email: "ok@example.test" },
    });
    expect(await signInWithPassword({ db, email: "ok@example.test", password: "wrong" })).toEqual({ kind: "refused" });
  });

  it("refuses the 51st wrong password within a minute, and the right one too while locked", async () => {
    await createAccount("target@example.test", "right password");
    const outcomes: string[] = [];
    const started = Date.now();
    for (let attempt = 0; attempt < 51; attempt++) {
      const outcome = await signInWithPassword({ db, email: "target@example.test", password: `guess ${attempt}` });
      outcomes.push(outcome.kind);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(outcomes.at(-1)).toBe("throttled");
    // Only the free allowance was ever checked against the password (each check costs a hash).
    expect(outcomes.filter((kind) => kind === "refused").length).toBeLessThanOrEqual(
      THROTTLE_POLICY.freeEvents.account + 1,
    );
    const locked = await signInWithPassword({ db, email: "target@example.test", password: "right password" });
    expect(locked.kind).toBe("throttled");
    expect(locked.kind === "throttled" && locked.retryAfterMs).toBeGreaterThan(0);
  });

  it("throttles one address guessing across many accounts, and leaves other addresses alone", async () => {
    const attacker = fromAddress("203.0.113.7");
    const kinds: string[] = [];
    for (let i = 0; i < THROTTLE_POLICY.freeEvents.ip + 2; i++) {
      const outcome = await signInWithPassword({
        db,
        email: `spray-${i}@example.test`,
        password: "x",
        headers: attacker,
      });
      kinds.push(outcome.kind);
    }
    expect(kinds.at(-1)).toBe("throttled");
    await createAccount("bystander@example.test", "right password");
    const bystander = await signInWithPassword({
      db,
      email: "bystander@example.test",
      password: "right password",
      headers: fromAddress("198.51.100.9"),
    });
    expect(bystander.kind).toBe("signed-in");
  });

  it("takes as long for an unknown account as for a known one (within 30 %)", async () => {
    // One attempt per account, known or not: a repeated account would reach its throttle, whose
    // refusal is (equally for known and unknown addresses) much faster than a password check.
    for (let i = 0; i < 8; i++) await createAccount(`known-${i}@example.test`, "right password");
    const time = async (email: string) => {
      const started = performance.now();
      await signInWithPassword({ db, email, password: "wrong password" });
      return performance.now() - started;
    };
    // Warm up (first hash, prepared statements), then alternate to share the machine's noise.
    await time("warm-up@example.test");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push(await time(`known-${i}@example.test`));
      unknown.push(await time(`nobody-${i}@example.test`));
    }
    const ratio = fastest(unknown) / fastest(known);
    console.log(
      `[sign-in timing] fastest of 8: unknown ${fastest(unknown).toFixed(0)} ms, known ${fastest(known).toFixed(0)} ms, ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio, `unknown ${fastest(unknown).toFixed(0)} ms vs known ${fastest(known).toFixed(0)} ms`).toBeGreaterThan(
      0.7,
    );
    expect(ratio).toBeLessThan(1.3);
  });
});
