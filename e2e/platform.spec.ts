import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { encodeTiff16 } from "../tests/helpers/tiff16";
import { signUp } from "./helpers";

/** Three micrograph-like files, one of them a 16-bit TIFF. */
async function sampleFiles() {
  const size = 96;
  const grey8 = Buffer.alloc(size * size);
  const grey16 = new Uint16Array(size * size);
  for (let i = 0; i < size * size; i++) {
    grey8[i] = (i * 7) % 256;
    grey16[i] = 1000 + ((i * 37) % 20_000);
  }
  const png = await sharp(grey8, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
  const jpeg = await sharp(grey8, { raw: { width: size, height: size, channels: 1 } })
    .jpeg()
    .toBuffer();
  const tiff16 = encodeTiff16([{ width: size, height: size, data: grey16 }]);
  return [
    { name: "cell-a.png", mimeType: "image/png", buffer: png },
    { name: "cell-b.jpg", mimeType: "image/jpeg", buffer: jpeg },
    { name: "deep-16bit.tif", mimeType: "image/tiff", buffer: tiff16 },
  ];
}

test("sign up, create a project, upload three images, and keep them private", async ({ browser }) => {
  const suffix = randomBytes(3).toString("hex");
  const alice = await browser.newContext();
  const page = await alice.newPage();
  await signUp(page, `alice-${suffix}@lab.test`);

  await page.getByLabel("New project name").fill("Li plating study");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: /Li plating study/ }).click();
  await page.waitForURL(/\/projects\/[^/]+$/);
  const projectUrl = page.url();

  await page.getByLabel("New dataset name").fill("cycle 10");
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name: /cycle 10/ }).click();
  await page.waitForURL(/\/datasets\/[^/]+$/);

  await page.getByTestId("upload-input").setInputFiles(await sampleFiles());
  await expect(page.getByTestId("upload-status")).toHaveText(["stored", "stored", "stored"], {
    timeout: 60_000,
  });
  await expect(page.getByTestId("image-thumb")).toHaveCount(3);
  await expect(page.getByTestId("image-grid").getByText("16-bit")).toHaveCount(1);
  // Every thumbnail actually decoded in the browser.
  const widths = await page
    .getByTestId("image-thumb")
    .locator("img")
    .evaluateAll((imgs) =>
      Promise.all(
        (imgs as HTMLImageElement[]).map((img) =>
          img.complete
            ? Promise.resolve(img.naturalWidth)
            : new Promise<number>((r) => (img.onload = () => r(img.naturalWidth))),
        ),
      ),
    );
  expect(widths.every((w) => w > 0)).toBe(true);
  await page.screenshot({ path: "test-results/e2e/dataset-with-uploads.png", fullPage: true });
  const thumbnailUrl = await page.getByTestId("image-thumb").first().locator("img").getAttribute("src");

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signUp(bobPage, `bob-${suffix}@lab.test`);
  await expect(bobPage.getByText("No projects yet")).toBeVisible();
  await bobPage.goto(projectUrl);
  await expect(bobPage.getByText("Project not found")).toBeVisible();
  const stolen = await bobPage.request.get(thumbnailUrl!);
  expect(stolen.status()).toBe(404);
  const own = await page.request.get(thumbnailUrl!);
  expect(own.status()).toBe(200);
});
