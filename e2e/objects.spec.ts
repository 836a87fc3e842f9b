/**
 * Objects and measurements end to end (issue "objects and measurements", parts 5-6): set the
 * scale by drawing on the burned-in scale bar, the scale bar on the canvas, running the object
 * segmentation, the table in µm (sorted, a row highlighted on the Konva stage and an object picked
 * on the canvas), objects turned into regions, and objects.csv downloaded and parsed.
 * Screenshots go to test-results/e2e/objects/.
 */
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import sharp from "sharp";
import { parseCsvRecords } from "../scripts/cli/csv-records";
import { signUp } from "./helpers";

const SHOTS = "test-results/e2e/objects";
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const WIDTH = 640;
const HEIGHT = 480;
/** Bright discs on a dark background: [x, y, radius] in image pixels, well apart. */
const DISCS: [number, number, number][] = [
  [90, 90, 14],
  [250, 110, 22],
  [430, 100, 18],
  [560, 240, 12],
  [380, 260, 30],
  [150, 280, 20],
];
const LARGEST = DISCS[4]!;
/** The burned-in scale bar: 200 px long, 8 px high, bottom-left; it reads "10 µm". */
const BAR = { x0: 40, x1: 240, y0: 430, y1: 438, micrometres: 10 };
const MICROMETRES_PER_PIXEL = BAR.micrometres / (BAR.x1 - BAR.x0);

/** A micrograph-like PNG: noisy dark background, bright particles and a white scale bar. */
async function particlesPng(): Promise<Buffer> {
  const grey = Buffer.alloc(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let value = 25 + ((x * 7 + y * 13) % 11);
      if (DISCS.some(([cx, cy, r]) => Math.hypot(x - cx, y - cy) <= r)) value = 200 + ((x + y) % 9);
      if (x >= BAR.x0 && x < BAR.x1 && y >= BAR.y0 && y < BAR.y1) value = 255;
      grey[y * WIDTH + x] = value;
    }
  }
  return sharp(grey, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .png()
    .toBuffer();
}

const stageTransform = (page: Page) =>
  page.evaluate(() => {
    const konva = (
      window as unknown as { Konva: { stages: { id(): string; x(): number; y(): number; scaleX(): number }[] } }
    ).Konva;
    const stage = konva.stages.find((s) => s.id() === "stage-main")!;
    return { x: stage.x(), y: stage.y(), scale: stage.scaleX() };
  });

/** The text of the first Konva node with this name on the main stage, or null. */
const konvaText = (page: Page, name: string) =>
  page.evaluate((nodeName) => {
    const konva = (
      window as unknown as {
        Konva: { stages: { id(): string; find(selector: string): { text?: () => string }[] }[] };
      }
    ).Konva;
    const stage = konva.stages.find((s) => s.id() === "stage-main");
    const node = stage?.find(`.${nodeName}`)[0];
    return node ? (node.text ? node.text() : "") : null;
  }, name);

/** The highlighted object's box (image pixels) and label on the main stage, or null. */
const highlight = (page: Page) =>
  page.evaluate(() => {
    const konva = (
      window as unknown as {
        Konva: {
          stages: {
            id(): string;
            find(
              selector: string,
            ): { x(): number; y(): number; width(): number; height(): number; getAttr(k: string): unknown }[];
          }[];
        };
      }
    ).Konva;
    const stage = konva.stages.find((s) => s.id() === "stage-main");
    const node = stage?.find(".object-highlight")[0];
    if (!node) return null;
    return {
      x: node.x(),
      y: node.y(),
      width: node.width(),
      height: node.height(),
      label: Number(node.getAttr("objectLabel")),
    };
  });

/** Whether the main stage has a layer with this name. */
const konvaLayerExists = (page: Page, name: string) =>
  page.evaluate((layerName) => {
    const konva = (window as unknown as { Konva: { stages: { id(): string; find(s: string): unknown[] }[] } }).Konva;
    const stage = konva.stages.find((s) => s.id() === "stage-main");
    return (stage?.find(`.${layerName}`).length ?? 0) > 0;
  }, name);

/** Screen (page) coordinates of an image point in the main pane. */
async function toScreen(page: Page, x: number, y: number) {
  const box = (await page.getByTestId("pane-main").boundingBox())!;
  const t = await stageTransform(page);
  return { x: box.x + t.x + x * t.scale, y: box.y + t.y + y * t.scale };
}

async function dragOnImage(page: Page, from: [number, number], to: [number, number]) {
  const a = await toScreen(page, from[0], from[1]);
  const b = await toScreen(page, to[0], to[1]);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/** objects.csv as rows of cells, blank rows dropped. */
function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).filter((r) => r.some((c) => c !== ""));
}

const suffix = randomBytes(3).toString("hex");

test("set scale on the burned-in bar, scale bar, objects in µm, highlight, regions, objects.csv", async ({
  browser,
}) => {
  test.setTimeout(5 * 60_000);
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  await signUp(page, `olga-objects-${suffix}@lab.test`);
  await page.getByLabel("New project name").fill("Particles");
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: /Particles/ }).click();
  await expect(page).toHaveURL(/\/projects\/[^/]+$/);
  const projectUrl = page.url();
  await page.getByLabel("New dataset name").fill("grains");
  await page.getByRole("button", { name: "Create dataset" }).click();
  await page.getByRole("link", { name: /grains/ }).click();
  await expect(page).toHaveURL(/\/datasets\//);
  const datasetUrl = page.url();
  await page
    .getByTestId("upload-input")
    .setInputFiles([{ name: "particles.png", mimeType: "image/png", buffer: await particlesPng() }]);
  await expect(page.getByTestId("upload-status")).toHaveText(["stored"], { timeout: 120_000 });
  await page.getByTestId("image-thumb").first().click();
  await expect(page).toHaveURL(/\/images\//);
  await expect(page.getByTestId("image-workspace")).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => konvaText(page, "scale-bar-missing"), { timeout: 60_000 }).toMatch(/No scale/);
  await expect(page.getByTestId("scale-status")).toContainText("No scale");
  await page.evaluate(() => window.scrollTo(0, 0));

  // Set scale: the tool, a line along the burned-in bar, then its length.
  await page.getByTestId("tool-scale").click();
  await expect(page.getByTestId("set-scale-hint")).toBeVisible();
  const barY = (BAR.y0 + BAR.y1) / 2;
  await dragOnImage(page, [BAR.x0, barY], [BAR.x1, barY]);
  await expect(page.getByTestId("scale-length")).toBeFocused();
  // Escape drops the line (keyboard), and the tool waits for a new one.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("scale-length")).toHaveCount(0);
  await expect(page.getByTestId("set-scale-hint")).toBeVisible();
  await dragOnImage(page, [BAR.x0, barY], [BAR.x1, barY]);
  const linePixels = parseFloat(
    ((await page.getByTestId("scale-line-pixels").textContent()) ?? "").replace(/[^0-9.]/g, ""),
  );
  expect(Math.abs(linePixels - (BAR.x1 - BAR.x0))).toBeLessThan(3);
  // Bad input is refused with a message, nothing is sent.
  await page.getByTestId("scale-submit").click();
  await expect(page.getByTestId("scale-error")).toHaveText("Enter the known length of the line.");
  await page.getByTestId("scale-length").fill("0");
  await page.getByTestId("scale-submit").click();
  await expect(page.getByTestId("scale-error")).toHaveText("The length must be greater than 0.");
  await page.getByTestId("scale-length").fill("-4");
  await page.getByTestId("scale-submit").click();
  await expect(page.getByTestId("scale-error")).toHaveText("The length must be greater than 0.");
  await page.getByTestId("scale-length").fill(String(BAR.micrometres));
  await page.getByTestId("scale-unit").selectOption("µm");
  await page.getByTestId("scale-scope-image").check();
  await shot(page, "01-set-scale-form");
  await page.getByTestId("scale-submit").click();
  await expect(page.getByTestId("set-scale")).toHaveCount(0);
  await expect(page.getByTestId("scale-status")).toContainText("µm per pixel", { timeout: 15_000 });
  const perPixel = parseFloat(
    /Scale: ([0-9.e-]+) µm/.exec((await page.getByTestId("scale-status").textContent()) ?? "")![1]!,
  );
  expect(Math.abs(perPixel / MICROMETRES_PER_PIXEL - 1)).toBeLessThan(0.02);

  // The scale bar: a 1-2-5 length in µm, 10-25 % of the view's width, following the zoom.
  await expect.poll(() => konvaText(page, "scale-bar-label")).toMatch(/^[125]0* µm$/);
  const before = await konvaText(page, "scale-bar-label");
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await expect.poll(() => konvaText(page, "scale-bar-label")).not.toBe(before);
  await page.getByTestId("zoom-fit").click();
  await expect.poll(() => konvaText(page, "scale-bar-label")).toBe(before);
  await shot(page, "02-scale-bar");

  // Objects: run with the defaults; the table is in µm.
  await page.getByTestId("objects-run").click();
  await expect(page.getByTestId("object-row").first()).toBeVisible({ timeout: 120_000 });
  const rows = page.getByTestId("object-row");
  expect(await rows.count()).toBeGreaterThanOrEqual(DISCS.length);
  await expect(page.getByTestId("objects-sort-area")).toContainText("Area (µm²)");
  await expect(page.getByTestId("objects-sort-equivalent_diameter")).toContainText("(µm)");
  await expect(page.getByTestId("objects-sort-feret_diameter_max")).toContainText("(µm)");
  await expect(page.getByTestId("objects-stat-d50")).toContainText("µm");
  await expect(page.getByTestId("objects-stat-count")).toHaveText(String(await rows.count()));
  await expect(page.getByTestId("objects-histogram")).toBeVisible();
  await expect(page.getByTestId("objects-histogram-axis")).toContainText("µm");
  await expect(page.getByTestId("objects-colorbar")).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.querySelectorAll("canvas").length)).toBeGreaterThan(0);

  // Sort by area: largest first, then smallest first.
  const areas = async () =>
    (await page.locator('[data-testid=object-row] td[data-column="area"]').allTextContents()).map(Number);
  await page.getByTestId("objects-sort-area").click();
  const descending = await areas();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  const largestArea = Math.PI * LARGEST[2] ** 2 * perPixel ** 2;
  expect(Math.abs(descending[0]! / largestArea - 1)).toBeLessThan(0.1);
  await page.getByTestId("objects-sort-area").click();
  const ascending = await areas();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await page.getByTestId("objects-sort-area").click();

  // A row click highlights that object on the Konva stage.
  const first = rows.first();
  await first.click();
  await expect(first).toHaveAttribute("aria-selected", "true");
  const label = Number(await first.getAttribute("data-label"));
  const cx = Number(await first.getAttribute("data-cx"));
  const cy = Number(await first.getAttribute("data-cy"));
  expect(Math.hypot(cx - LARGEST[0], cy - LARGEST[1])).toBeLessThan(3);
  await expect.poll(async () => (await highlight(page))?.label).toBe(label);
  const box = (await highlight(page))!;
  expect(box.x).toBeLessThan(cx);
  expect(box.x + box.width).toBeGreaterThan(cx);
  expect(box.y).toBeLessThan(cy);
  expect(box.y + box.height).toBeGreaterThan(cy);
  expect(Math.abs(box.width - 2 * LARGEST[2])).toBeLessThan(4);
  await shot(page, "03-objects-row-highlighted");

  // Canvas -> table: hovering an object shows its descriptors in µm; clicking it selects its row.
  await page.getByTestId("tool-pan").click();
  const [hx, hy] = DISCS[0]!;
  const over = await toScreen(page, hx, hy);
  await page.mouse.move(over.x, over.y);
  const hover = page.getByTestId("object-hover");
  await expect(hover).toBeVisible();
  await expect(hover.getByTestId("object-hover-area")).toContainText("µm²");
  await expect(hover.getByTestId("object-hover-equivalent_diameter")).toContainText("µm");
  const hoveredLabel = Number(await hover.getAttribute("data-label"));
  await page.mouse.click(over.x, over.y);
  const picked = page.locator(`[data-testid=object-row][data-label="${hoveredLabel}"]`);
  await expect(picked).toHaveAttribute("aria-selected", "true");
  // Its row is scrolled into the table's view.
  await expect
    .poll(() =>
      picked.evaluate((row) => {
        const box = row.closest("div")!.getBoundingClientRect();
        const r = row.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      }),
    )
    .toBe(true);
  await expect.poll(async () => (await highlight(page))?.label).toBe(hoveredLabel);
  const pickedX = Number(await picked.getAttribute("data-cx"));
  expect(Math.abs(pickedX - hx)).toBeLessThan(3);
  // Off the objects, the readout goes.
  const empty = await toScreen(page, 600, 40);
  await page.mouse.move(empty.x, empty.y);
  await expect(hover).toHaveCount(0);

  // Keyboard: the selected row takes the focus, arrows move the selection (and the highlight).
  await picked.focus();
  const pickedIndex = (await rows.evaluateAll((all) => all.map((r) => r.getAttribute("data-label")))).indexOf(
    String(hoveredLabel),
  );
  const neighbour = pickedIndex === 0 ? rows.nth(1) : rows.nth(pickedIndex - 1);
  await page.keyboard.press(pickedIndex === 0 ? "ArrowDown" : "ArrowUp");
  await expect(neighbour).toHaveAttribute("aria-selected", "true");
  await expect(neighbour).toBeFocused();
  await expect(picked).toHaveAttribute("aria-selected", "false");
  await expect
    .poll(async () => (await highlight(page))?.label)
    .toBe(Number(await neighbour.getAttribute("data-label")));

  // Outlines coloured by a descriptor, with a colour bar in µm; "none" drops the bar.
  await page.getByTestId("objects-color-by").selectOption("equivalent_diameter");
  await expect(page.getByTestId("objects-colorbar")).toContainText("Eq. diameter (µm)");
  await page.getByTestId("objects-color-by").selectOption("none");
  await expect(page.getByTestId("objects-colorbar")).toHaveCount(0);
  await page.getByTestId("objects-color-by").selectOption("area");

  // Live preview: a parameter change shows the preview's count (the browser's worker) before Run.
  await page.getByTestId("objects-min-area").fill("2000");
  const previewCount = page.getByTestId("objects-preview-count");
  await expect(previewCount).toHaveAttribute("data-status", "done");
  await expect(previewCount).toHaveText("1");
  await expect.poll(() => konvaLayerExists(page, "objects-preview")).toBe(true);
  await shot(page, "03b-objects-preview");
  await page.getByTestId("objects-min-area").fill("4");
  // The same core on the same pixels (640 x 480 is under the preview's 1024 px cap): the stored count.
  await expect(previewCount).toHaveText(String(await rows.count()));
  await expect(previewCount).toHaveAttribute("data-status", "done");

  // Objects -> regions, with the chosen class; they are saved.
  const objectCount = await rows.count();
  await page.getByTestId("region-class").selectOption({ label: "Dendritic" });
  await page.getByTestId("objects-to-regions").click();
  await expect(page.getByTestId("objects-region-note")).toHaveText(`${objectCount} regions added.`);
  await expect(page.getByTestId("region-count")).toHaveText(String(objectCount));
  await expect(page.getByTestId("save-status")).toHaveText("all changes saved", { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId("region-count")).toHaveText(String(objectCount), { timeout: 60_000 });
  await expect(page.getByTestId("region-item").first()).toHaveAttribute("data-kind", "mask");
  // A drawn region shows its own measurements, in the image's unit.
  await page.getByTestId("region-item").first().click();
  await expect(page.getByTestId("region-descriptors")).toContainText("µm");
  await shot(page, "04-objects-as-regions");

  // The project reports what a dataset run under its settings (here the defaults, objects
  // included) recorded, not what was viewed: run the dataset, then export.
  await page.goto(datasetUrl);
  await expect(page.getByTestId("analyse-dataset-settings")).toContainText("objects measured");
  await page.getByTestId("analyse-dataset").click();
  await expect(page.locator("[data-testid^=job-run-]").first()).toHaveAttribute("data-status", "SUCCEEDED", {
    timeout: 120_000,
  });

  // objects.csv from the project's exports: one row per object, areas in µm² matching the table.
  await page.goto(projectUrl);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-objects-csv").click()]);
  const csv = parseCsv(readFileSync(await download.path(), "utf8"));
  const [header, ...records] = csv;
  expect(header).toEqual(expect.arrayContaining(["object_id", "area_px", "area_um2", "equivalent_diameter_um"]));
  expect(records).toHaveLength(objectCount);
  const column = (name: string) => records.map((r) => Number(r[header!.indexOf(name)]));
  const csvAreas = column("area_um2").sort((a, b) => b - a);
  expect(Math.abs(csvAreas[0]! - descending[0]!) / descending[0]!).toBeLessThan(0.01);
  for (const [px, um2] of column("area_px").map((px, i) => [px, column("area_um2")[i]!] as const)) {
    expect(Math.abs(um2 - px * perPixel ** 2) / um2).toBeLessThan(0.01);
  }
  await context.close();
});
