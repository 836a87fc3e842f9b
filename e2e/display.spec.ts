/**
 * Honest display: window/level on a 16-bit TIFF changes the pixels drawn, not the stored data or
 * any measurement, and the pointer shows the raw 16-bit value.
 */
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { encodeTiff16 } from "../tests/helpers/tiff16";
import { createProject, signUp, trpc } from "./helpers";

const WIDTH = 320;
const HEIGHT = 240;
/** The stored value at (x, y): a horizontal ramp over most of the 16-bit range. */
const valueAt = (x: number, y: number) => 2000 + x * 100 + y;

function rampTiff16(): Buffer {
  const data = new Uint16Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = valueAt(x, y);
  return encodeTiff16([{ width: WIDTH, height: HEIGHT, data }]);
}

/** The RGBA of the image layer's canvas (the first Konva layer of the pane) at a pane point. */
const imagePixel = (page: Page, at: { x: number; y: number }) =>
  page.evaluate((point) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="pane-main"] canvas');
    if (!canvas) return null;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const context = canvas.getContext("2d");
    return Array.from(context!.getImageData(Math.round(point.x * ratio), Math.round(point.y * ratio), 1, 1).data);
  }, at);

test("window/level on a 16-bit TIFF: display changes, raw readout and measurements do not", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signUp(page, `display-${randomBytes(3).toString("hex")}@lab.test`);
  const projectId = await createProject(page, "Display study");
  await page.getByLabel("New dataset name").fill("raw");
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name: /raw/ }).click();
  await page
    .getByTestId("upload-input")
    .setInputFiles([{ name: "ramp-16bit.tif", mimeType: "image/tiff", buffer: rampTiff16() }]);
  await expect(page.getByTestId("upload-status")).toHaveText(["stored"], { timeout: 60_000 });
  const imageId = (await page.locator("[data-image-id]").first().getAttribute("data-image-id"))!;
  await page.goto(`/projects/${projectId}/images/${imageId}`);
  await expect(page.getByTestId("analysis-status")).toContainText("Saved as an analysis", { timeout: 60_000 });
  const stored = async () => {
    const workspace = await trpc<{ analyses: unknown[] }>(page.request, "query", "analysis.workspace", {
      projectId,
      imageId,
    });
    return JSON.stringify(workspace.analyses);
  };
  const before = await stored();
  const shareBefore = await page.getByTestId("legend-share-0").textContent();

  // The pointer shows the stored 16-bit value under it.
  const pane = (await page.getByTestId("pane-main").boundingBox())!;
  const centre = { x: pane.width / 2, y: pane.height / 2 };
  const hover = async () => {
    // Typing in the side panel scrolls the page: the pane back in view first.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = (await page.getByTestId("pane-main").boundingBox())!;
    await page.mouse.move(box.x + centre.x - 3, box.y + centre.y);
    await page.mouse.move(box.x + centre.x, box.y + centre.y);
  };
  await expect(page.getByTestId("window-min")).toBeVisible({ timeout: 30_000 });
  await hover();
  await expect(page.getByTestId("pixel-readout")).toContainText("(raw, 16-bit)");
  const x = Number(await page.getByTestId("readout-x").textContent());
  const y = Number(await page.getByTestId("readout-y").textContent());
  await expect(page.getByTestId("readout-raw")).toHaveText(String(valueAt(x, y)));
  const displayBefore = await page.getByTestId("readout-display").textContent();
  const pixelBefore = await imagePixel(page, centre);
  expect(pixelBefore).not.toBeNull();

  // The default window is the data's range; narrow it to the lower quarter: the centre saturates.
  await expect(page.getByTestId("window-min-value")).toHaveValue(String(valueAt(0, 0)));
  await expect(page.getByTestId("window-max-value")).toHaveValue(String(valueAt(WIDTH - 1, HEIGHT - 1)));
  await page.getByTestId("window-max-value").fill(String(valueAt(WIDTH / 4, 0)));
  await expect.poll(() => imagePixel(page, centre), { timeout: 10_000 }).not.toEqual(pixelBefore);
  expect((await imagePixel(page, centre))![0]).toBe(255);
  await hover();
  await expect(page.getByTestId("readout-raw")).toHaveText(String(valueAt(x, y)));
  await expect(page.getByTestId("readout-display")).not.toHaveText(displayBefore ?? "");
  await expect(page.getByTestId("readout-display")).toHaveText("255");

  // Gamma and Auto change the display too; nothing stored or measured changed.
  await page.getByTestId("window-auto").click();
  await expect(page.getByTestId("window-max-value")).not.toHaveValue(String(valueAt(WIDTH / 4, 0)));
  expect(await stored()).toBe(before);
  await expect(page.getByTestId("legend-share-0")).toHaveText(shareBefore ?? "");

  // The window is kept for the browser session, per image; Reset brings the served display back.
  await page.getByTestId("window-max-value").fill("12345");
  await page.reload();
  await expect(page.getByTestId("window-max-value")).toHaveValue("12345", { timeout: 30_000 });
  expect(await stored()).toBe(before);
  await page.getByTestId("window-reset").click();
  await expect(page.getByTestId("window-max-value")).toHaveValue(String(valueAt(WIDTH - 1, HEIGHT - 1)));
});
