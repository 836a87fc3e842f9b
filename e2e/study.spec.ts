/**
 * A lab's study, end to end (issue 16's acceptance): a folder tree named by condition is uploaded
 * and its parsed tags confirmed; the project's settings are set (a retrained model version, K = 4,
 * the data bar excluded) and saved; the dataset runs under them; the results view shows a box plot
 * of coverage by capacity, downloadable as PNG and SVG, and the CSV; then someone views an image
 * with K = 2 without saving the settings, and the CSV is byte for byte the same.
 */
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { micrographPng } from "../tests/helpers/micrograph";
import { createProject, signUp, trpc } from "./helpers";

type Image = { id: string; fileName: string };

test("conditions from folders, pinned settings, results by capacity, viewing leaves the CSV unchanged", async ({
  page,
}) => {
  test.setTimeout(6 * 60_000);
  const suffix = randomBytes(3).toString("hex");
  await signUp(page, `study-${suffix}@lab.test`);
  const projectId = await createProject(page, `Li study ${suffix}`);
  const projectUrl = page.url();
  await page.getByLabel("New dataset name").fill("capacity series");
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name: /capacity series/ }).click();
  await page.waitForURL(/\/datasets\/[^/]+$/);
  const datasetUrl = page.url();
  const datasetId = datasetUrl.split("/").pop()!;

  // A folder tree named by condition: <capacity>/<cycles>/<file>.
  const root = mkdtempSync(path.join(tmpdir(), "study-"));
  const tree = path.join(root, "Li plated");
  let seed = 0;
  for (const capacity of ["3mAh", "8mAh"]) {
    const folder = path.join(tree, capacity, "1 cycle");
    mkdirSync(folder, { recursive: true });
    for (const name of ["a.png", "b.png", "c.png"]) writeFileSync(path.join(folder, name), await micrographPng(seed++));
  }
  await page.getByTestId("upload-folder-input").setInputFiles(tree);
  const preview = page.getByTestId("condition-preview");
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId("condition-preview-row")).toHaveCount(6);
  await expect(preview).toContainText("capacity");
  await expect(preview).toContainText("8 mAh");
  await preview.getByTestId("condition-confirm").click();
  await expect(page.getByTestId("upload-status")).toHaveText(Array(6).fill("stored"), { timeout: 120_000 });

  // Labels (two classes, three images each) and a retrained model version, set up through the API.
  const request = page.request;
  const images = (await trpc<{ images: Image[] }>(request, "query", "dataset.images", { projectId, datasetId })).images;
  expect(images).toHaveLength(6);
  const classes = [];
  for (const [name, color] of [
    ["thin whiskers", "#1f77b4"],
    ["nodules", "#d62728"],
  ]) {
    classes.push(await trpc<{ id: string }>(request, "mutation", "labelClass.save", { projectId, name, color }));
  }
  const tags = await trpc<{ byImage: Record<string, { key: string; value: number | string; unit: string | null }[]> }>(
    request,
    "query",
    "conditions.forDataset",
    { projectId, datasetId },
  );
  const capacityOf = (imageId: string) => tags.byImage[imageId]?.find((tag) => tag.key === "capacity")?.value;
  expect(new Set(images.map((image) => capacityOf(image.id)))).toEqual(new Set([3, 8]));
  for (const [k, capacity] of [
    [0, 3],
    [1, 8],
  ] as const) {
    await trpc(request, "mutation", "annotation.setImageLabels", {
      projectId,
      imageIds: images.filter((image) => capacityOf(image.id) === capacity).map((image) => image.id),
      labelClassId: classes[k]!.id,
    });
  }
  await trpc(request, "mutation", "modelVersion.retrain", { projectId });
  let retrained: { id: string; name: string } | undefined;
  await expect
    .poll(
      async () => {
        const versions = await trpc<{ id: string; name: string; builtIn: boolean; available: boolean }[]>(
          request,
          "query",
          "modelVersion.list",
          { projectId },
        );
        retrained = versions.find((v) => !v.builtIn && v.available);
        return retrained !== undefined;
      },
      { timeout: 180_000, intervals: [2000] },
    )
    .toBe(true);

  // The Models panel: the retrained version's cross-validated scores on the labels in their own
  // column (no synthetic test), per-class precision and recall, and the images of a matrix cell.
  await page.goto(projectUrl);
  const versionRow = page.getByTestId(`model-version-${retrained!.id}`);
  await expect(versionRow.getByTestId("synthetic-test")).toHaveText("–");
  await expect(versionRow.getByTestId("own-labels")).toContainText("(n = 6)");
  await versionRow.getByRole("button", { name: retrained!.name }).click();
  const ownScores = page.getByTestId("own-label-scores");
  await expect(ownScores.getByTestId("per-class-metrics")).toContainText("thin whiskers");
  await ownScores.getByTestId("confusion-matrix").getByRole("button").first().click();
  await expect(ownScores.getByTestId("cell-image").first()).toBeVisible();

  // The project's settings: the retrained version, K = 4 only, data bar excluded; saved as v1.
  const settings = page.getByTestId("project-settings");
  await expect(settings).toContainText("Defaults (never saved)");
  await settings.getByTestId("settings-model").selectOption(`version:${retrained!.id}`);
  await settings.getByTestId("settings-k-4").check();
  await settings.getByTestId("settings-k-3").uncheck();
  await expect(settings.getByTestId("settings-exclude-data-bar")).toBeChecked();
  await settings.getByTestId("settings-save").click();
  await expect(settings).toContainText("Version 1");

  // The dataset runs under them.
  await page.goto(datasetUrl);
  await expect(page.getByTestId("analyse-dataset-settings")).toContainText("v1");
  await page.getByTestId("analyse-dataset").click();
  await expect(page.locator("[data-testid^=job-run-]").first()).toHaveAttribute("data-status", "SUCCEEDED", {
    timeout: 180_000,
  });

  // Results: coverage by capacity, as a box plot; PNG, SVG and the CSV.
  await page.getByTestId("results-link").click();
  await expect(page.getByTestId("results-row")).toHaveCount(6);
  await page.getByLabel("Group by").selectOption({ label: "Tag: capacity" });
  await page.getByLabel("Measurement").selectOption("object_coverage");
  const plot = page.getByTestId("box-plot");
  await expect(plot.locator("svg circle")).toHaveCount(6, { timeout: 15_000 });
  await expect(page.getByTestId("box-stats")).toContainText("3 mAh");
  await expect(page.getByTestId("box-stats")).toContainText("8 mAh");
  const [png] = await Promise.all([page.waitForEvent("download"), plot.getByTestId("download-png").click()]);
  expect([...readFileSync(await png.path()).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  const [svg] = await Promise.all([page.waitForEvent("download"), plot.getByTestId("download-svg").click()]);
  expect(readFileSync(await svg.path(), "utf8")).toContain("</svg>");
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("results-csv").click()]);
  const csv = readFileSync(await csvDownload.path(), "utf8");
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  const columns = header!.split(",");
  expect(rows).toHaveLength(6);
  for (const row of rows) {
    const cells = row.split(",");
    expect(cells[columns.indexOf("settings_version")]).toBe("1");
    expect(cells[columns.indexOf("status")]).toBe("ok");
    expect(cells[columns.indexOf("cluster_shares_k4")]!.split(";")).toHaveLength(4);
    expect(cells[columns.indexOf("model_version")]).toBe(retrained!.name);
  }
  expect(columns).toContain("tag:capacity [mAh]");

  // Someone looks at an image with K = 2 (a stored analysis, but not the project's settings).
  await page.goto(`/projects/${projectId}/images/${images[0]!.id}`);
  await expect(page.getByTestId("image-workspace")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("k-select").selectOption("2");
  await expect(page.getByTestId("settings-state")).toHaveAttribute("data-differs", "true");
  await expect(page.getByTestId("analysis-status")).toContainText(/saved/i, { timeout: 60_000 });
  const again = await request.get(`/api/projects/${projectId}/exports/results.csv?datasetId=${datasetId}`);
  expect(await again.text()).toBe(csv);
});
