/** Shared steps of the e2e specs. */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const E2E_PASSWORD = "a long password";

/**
 * Signs up through the UI and lands on the project list. Sign-ups from one address are throttled
 * (src/server/users/sign-up.ts), and the specs create many accounts from one: when the page says
 * "try again in N s", this waits as told and submits again, as a user would.
 */
export async function signUp(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByText("Create one").click();
  await page.getByPlaceholder("Email").fill(email);
  await page.getByPlaceholder("Password (8+ characters)").fill(E2E_PASSWORD);
  const throttled = page.getByText(/Too many accounts were created from your address; try again in (\d+) s/);
  for (let attempt = 0; ; attempt++) {
    await page.getByRole("button", { name: "Create account" }).click();
    // Submitting clears the previous answer; don't read the old one as the new one.
    await expect(throttled)
      .toBeHidden({ timeout: 2_000 })
      .catch(() => undefined);
    await expect(page.getByTestId("signed-in-as").or(throttled)).toBeVisible({ timeout: 15_000 });
    if (!(await throttled.isVisible()) || attempt >= 5) break;
    const seconds = Number(/in (\d+) s/.exec((await throttled.textContent()) ?? "")?.[1] ?? "1");
    await page.waitForTimeout(seconds * 1000 + 250);
  }
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

/** A tRPC call with the page's session cookie (superjson wire format, no batching), for setup. */
export async function trpc<T>(
  request: APIRequestContext,
  kind: "query" | "mutation",
  path: string,
  input: unknown,
): Promise<T> {
  const response =
    kind === "query"
      ? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** Creates a project from the project list and opens it; returns its id. */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.getByLabel("New project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: new RegExp(name) }).click();
  await page.waitForURL(/\/projects\/[^/]+$/);
  return page.url().split("/").pop()!;
}
