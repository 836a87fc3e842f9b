/** Shared steps of the e2e specs. */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const E2E_PASSWORD = "a long password";

/** Signs up through the UI and lands on the project list. */
export async function signUp(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByText("Create one").click();
  await page.getByPlaceholder("Email").fill(email);
  await page.getByPlaceholder("Password (8+ characters)").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
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
