/**
 * The results view: a project whose dataset was analysed ("Analyse dataset", a background run)
 * shows one row per image and a box plot of a measurement with every image as a point; the plot
 * downloads as a PNG and as an SVG, and clicking a point opens that image.
 */
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { micrographPng } from "../tests/helpers/micrograph";
import { createProject, signUp } from "./helpers";

test("results page: table, box plot, PNG and SVG downloads, click a point to open the image", async ({ page }) => {
  const suffix = randomBytes(3).toString("hex");
  await signUp(page, `results-${suffix}@lab.test`);
  const projectId = await createProject(page, `Results ${suffix}`);
  await page.getByLabel("New dataset name").fill("cycle 1");
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name: /cycle 1/ }).click();
  await page.waitForURL(/\/datasets\/[^/]+$/);

  const files = await Promise.all(
    [0, 1, 2].map(async (i) => ({ name: `m${i}.png`, mimeType: "image/png", buffer: await micrographPng(i) })),
  );
  await page.getByTestId("upload-input").setInputFiles(files);
  await expect(page.getByTestId("upload-status")).toHaveText(["stored", "stored", "stored"], { timeout: 60_000 });
  await page.getByTestId("analyse-dataset").click();
  await expect(page.locator("[data-testid^=job-run-]").first()).toHaveAttribute("data-status", "SUCCEEDED", {
    timeout: 60_000,
  });

  await page.getByTestId("results-link").click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/results\\?datasetId=`));
  await expect(page.getByTestId("results-row")).toHaveCount(3);
  await expect(page.getByTestId("results-table").getByText("ok", { exact: true })).toHaveCount(3);

  const plot = page.getByTestId("box-plot");
  await expect(plot.locator("svg circle")).toHaveCount(3, { timeout: 15_000 }); // the images (the mean is a diamond)
  await expect(page.getByTestId("box-stats")).toContainText("cycle 1");
  await page.screenshot({ path: "test-results/results-view/results-page.png", fullPage: true });

  const [png] = await Promise.all([page.waitForEvent("download"), plot.getByTestId("download-png").click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const pngBytes = readFileSync(await png.path());
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(pngBytes.length).toBeGreaterThan(2000);

  const [svg] = await Promise.all([page.waitForEvent("download"), plot.getByTestId("download-svg").click()]);
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  const svgText = readFileSync(await svg.path(), "utf8");
  expect(svgText).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svgText).toContain("</svg>");

  // Clicking an image's point opens that image's workspace.
  const point = plot.locator("svg g[aria-label=dot] circle").last();
  const box = (await point.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/images/`));
});
