/**
 * A stand-in for `~/server/auth` (next-auth needs a running Next server) whose session a test
 * switches by setting `signedIn.userId` (null: signed out). vi.mock is hoisted, so the factory
 * imports this module, which is the same instance the test imports:
 *
 *   vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));
 *   import { signedIn } from "../../../../tests/helpers/signed-in-user";
 */
export const signedIn = { userId: null as string | null };

export async function auth() {
  return signedIn.userId
    ? { user: { id: signedIn.userId, email: "someone@example.test" }, expires: "2999-01-01T00:00:00.000Z" }
    : null;
}
