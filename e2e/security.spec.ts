/**
 * Security headers on every kind of response (pages, redirects, route handlers, tRPC, next-auth),
 * and a sign-in page that never sends anyone off-site, whatever `callbackUrl` says.
 */
import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, signUp } from "./helpers";

const PAGES = ["/sign-in", "/projects", "/", "/s/not-a-token", "/invite/not-a-token"];
const ROUTES = [
  "/api/images/someimage/display",
  "/api/analyses/someanalysis/maps/cam",
  "/api/projects/someproject/exports/results.csv",
  "/api/projects/someproject/exports/jobs",
  "/api/share/sometoken/images/someimage/display",
  "/api/share/sometoken/images/someimage/overlays/cam",
  "/api/trpc/project.list",
  "/api/auth/session",
];

test("every page and route handler sends the security headers and no X-Powered-By", async ({ request }) => {
  for (const path of [...PAGES, ...ROUTES]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    expect(headers["x-powered-by"], path).toBeUndefined();
  }
});

const OFF_SITE = [
  "%2F%5Cevil.example",
  "/%5Cevil.example",
  "%2F%2Fevil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "%252F%252Fevil.example",
];

test("sign-in with a hostile callbackUrl stays on this site", async ({ page, baseURL }) => {
  const email = `redirect-${Date.now()}@example.com`;
  await signUp(page, email);
  const origin = new URL(baseURL!).origin;
  for (const callbackUrl of OFF_SITE) {
    // Signed in: the page redirects at once.
    await page.goto(`/sign-in?callbackUrl=${callbackUrl}`);
    expect(new URL(page.url()).origin, callbackUrl).toBe(origin);
  }
  // Signed out: the form's redirect after signing in stays here too.
  await page.context().clearCookies();
  await page.goto(`/sign-in?callbackUrl=${OFF_SITE[0]}`);
  await page.getByPlaceholder("Email").fill(email);
  await page.getByPlaceholder(/Password/).fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  expect(new URL(page.url()).origin).toBe(origin);
});

test("a session cookie replayed after sign-out is refused; sign out everywhere ends other sessions", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `replay-${Date.now()}@example.com`;
  await signUp(page, email);
  const cookies = await page.context().cookies();
  const sessionCookie = cookies.find((cookie) => cookie.name.includes("session-token"));
  expect(sessionCookie, "the session cookie").toBeDefined();

  // A second device signs in too.
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByPlaceholder("Email").fill(email);
  await otherPage.getByPlaceholder(/Password/).fill(E2E_PASSWORD);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/projects$/);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Replay the old cookie from a clean context: no session, no data.
  const replay = await browser.newContext({ baseURL });
  await replay.addCookies([sessionCookie!]);
  const session = await replay.request.get("/api/auth/session");
  expect(await session.json()).toBeNull();
  expect((await replay.request.get("/api/trpc/project.list")).status()).toBe(401);

  // The other device is still signed in until it signs out everywhere.
  expect((await other.request.get("/api/trpc/project.list")).status()).toBe(200);
  const everywhere = await other.request.post("/api/trpc/auth.signOutEverywhere", { data: { json: null } });
  expect(everywhere.status()).toBe(200);
  expect((await other.request.get("/api/trpc/project.list")).status()).toBe(401);
  await replay.close();
  await other.close();
});
