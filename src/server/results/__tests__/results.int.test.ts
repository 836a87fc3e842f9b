/**
 * The results view on a real database: results.table answers, page by page, exactly the numbers
 * of results.csv for the settings version (and another version's numbers when asked), rows carry
 * their condition tags and group by them, and results.objectDescriptors samples object
 * descriptors evenly, bounded per image, from the blob when the row holds only the first records.
 */
import { describe, expect, it } from "vitest";
import { groupRows } from "~/core/results/plot-stats";
import { clusterKey, probabilityKey } from "~/core/results/result-columns";
import { db } from "~/server/db";
import { RESULTS_CSV_COLUMNS, streamResultsCsv } from "~/server/exports/stream-results-csv";
import { parseCsvRecords } from "../../../../scripts/cli/csv-records";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { seedImageRows } from "../../../../tests/helpers/project-images";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { seedObjectSet } from "../../objects/__tests__/object-fixtures";
import { seedAnalysis } from "../../sharing/__tests__/collaboration-fixtures";

async function text(source: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of source) out += chunk;
  return out;
}

async function seedResults() {
  const { project, users } = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "cycling" } });
  const images = await seedImageRows(db, { projectId: project.id, datasetId: dataset.id }, 5, (i) => ({
    fileName: `img-${i}.png`,
    // The size of the seeded label maps: one label-map pixel is one image pixel.
    width: 8,
    height: 6,
  }));
  const [a, b, c, d] = images as [(typeof images)[0], (typeof images)[0], (typeof images)[0], (typeof images)[0]];
  const analysisA = await seedAnalysis(db, { imageId: a.id, prediction: "dendritic" });
  const analysisC = await seedAnalysis(db, { imageId: c.id, prediction: "spherical" });
  const records = Array.from({ length: 30 }, (_, i) => ({ label: i + 1, area: i + 1, equivalent_diameter: 2 * i }));
  const setA = await seedObjectSet(db, { projectId: project.id, imageId: a.id, records });
  const setC = await seedObjectSet(db, { projectId: project.id, imageId: c.id, records });
  // C's row holds only its first 5 records (as a row over the inline cap does); the blob has all 30.
  await db.objectSet.update({ where: { id: setC.id }, data: { objects: records.slice(0, 5) as never } });
  await db.image.update({ where: { id: c.id }, data: { pixelSizeUm: 0.5, pixelSizeUnit: "µm" } });
  const tag = (imageId: string, key: string, value: number | string, unit: string | null = null) =>
    db.imageTag.create({
      data: {
        projectId: project.id,
        imageId,
        key,
        ...(typeof value === "number" ? { numberValue: value } : { textValue: value }),
        unit,
        source: "manual",
      },
    });
  await tag(a.id, "capacity", 8, "mAh");
  await tag(b.id, "capacity", 8, "mAh");
  await tag(c.id, "capacity", 2, "mAh");
  await tag(c.id, "electrolyte", "LP40");
  const settings = await reportResults(db, project.id, users.owner!.id, [
    { imageId: a.id, analysisId: analysisA.id, objectSetId: setA.id },
    { imageId: c.id, analysisId: analysisC.id, objectSetId: setC.id },
    { imageId: d.id, failure: "cannot decode" },
  ]);
  return { project, users, dataset, images, settings, records };
}

describe("results.table", () => {
  it("answers results.csv's numbers, page by page, with tags to group by", async () => {
    const { project, users, dataset, settings } = await seedResults();
    const viewer = callerFor(db, users.viewer!);
    const rows = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.results.table({ projectId: project.id, datasetId: dataset.id, cursor, limit: 2 });
      expect(page.settingsVersion).toBe(settings.version);
      rows.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(rows).toHaveLength(5);

    const [header, ...lines] = parseCsvRecords(
      await text(streamResultsCsv({ db, scope: { projectId: project.id }, settings })),
    ).filter((r) => r.some((cell) => cell !== ""));
    expect(header!.slice(0, RESULTS_CSV_COLUMNS.length)).toEqual([...RESULTS_CSV_COLUMNS]);
    const col = (line: string[], name: (typeof RESULTS_CSV_COLUMNS)[number]) => line[header!.indexOf(name)]!;
    const num = (cell: string) => (cell === "" ? undefined : Number(cell));
    expect(lines.map((line) => col(line, "image_id"))).toEqual(rows.map((row) => row.imageId));
    for (const [i, row] of rows.entries()) {
      const line = lines[i]!;
      expect(row.file).toBe(col(line, "file"));
      expect(row.status).toBe(col(line, "status"));
      expect(row.prediction ?? "").toBe(col(line, "predicted_class"));
      expect(row.values.probability).toBe(num(col(line, "probability")));
      expect(row.values.otsu_threshold).toBe(num(col(line, "otsu_threshold")));
      expect(row.values.foreground_fraction).toBe(num(col(line, "foreground_fraction")));
      expect(row.values.mean_contrast).toBe(num(col(line, "mean_contrast")));
      expect(row.values.object_count).toBe(num(col(line, "object_count")));
      expect(row.values.object_coverage).toBe(num(col(line, "object_coverage")));
      expect(row.values.object_d50_px).toBe(num(col(line, "object_d50_px")));
      expect(row.values.object_d50_um).toBe(num(col(line, "object_d50_um")));
      expect(row.values.index_of_dispersion_max).toBe(num(col(line, "index_of_dispersion_max")));
      const shares = col(line, "cluster_shares_k3");
      const sharesInRow = [0, 1, 2].map((index) => row.values[clusterKey(3, index)]);
      expect(sharesInRow).toEqual(shares ? shares.split(";").map(Number) : [undefined, undefined, undefined]);
      const probabilities = col(line, "probabilities");
      for (const pair of probabilities ? probabilities.split(";") : []) {
        const [name, p] = pair.split("=");
        expect(row.values[probabilityKey(name!)]).toBe(Number(p));
      }
    }
    const analysed = rows.find((row) => row.prediction === "spherical")!;
    expect(analysed.values).toMatchObject({
      probability: 0.2,
      object_count: 30,
      object_d50_um: 0.681,
      "cluster:k3:3": 50,
    });
    expect(rows.map((row) => row.status).filter((s) => s !== "ok")).toEqual([
      "not analysed with these settings",
      "failed: cannot decode",
      "not analysed with these settings",
    ]);
    const page = await viewer.results.table({ projectId: project.id, limit: 10 });
    expect(page.columns.map((c) => c.key)).toContain("object_d50_um");
    expect(page.columns.find((c) => c.key === "object_d50_um")?.unit).toBe("µm");

    // Grouped by a condition tag: 2 mAh before 8 mAh, untagged images last.
    const groups = groupRows(rows, { kind: "tag", key: "capacity" });
    expect(groups.map((g) => [g.group, g.rows.map((row) => row.file)])).toEqual([
      ["2 mAh", ["img-2.png"]],
      ["8 mAh", ["img-0.png", "img-1.png"]],
      ["(no capacity)", ["img-3.png", "img-4.png"]],
    ]);
    expect(rows.find((row) => row.file === "img-2.png")?.tags).toEqual({
      capacity: { value: 2, unit: "mAh" },
      electrolyte: { value: "LP40", unit: null },
    });

    // Version 0 (the defaults, nothing run under them): no numbers at all.
    const defaults = await viewer.results.table({ projectId: project.id, settingsVersion: 0, limit: 10 });
    expect(defaults.rows.every((row) => Object.keys(row.values).length === 0)).toBe(true);
    expect(defaults.columns).toEqual([]);
  });
});

describe("results.objectDescriptors", () => {
  it("samples each image's objects evenly, bounded per image, with the images' tags", async () => {
    const { project, users, settings, records } = await seedResults();
    const viewer = callerFor(db, users.viewer!);
    const px = await viewer.results.objectDescriptors({
      projectId: project.id,
      descriptor: "area",
      maxPerImage: 10,
    });
    expect(px).toMatchObject({ settingsVersion: settings.version, unit: "px²", perImageLimit: 10 });
    expect(px.totalObjects).toBe(60);
    expect(px.sampledValues).toBe(20);
    const evenly = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27].map((i) => records[i]!.area);
    // Both images, the one whose row holds 5 records too (read from the blob).
    expect(px.images.map((image) => image.values)).toEqual([evenly, evenly]);
    expect(px.images.map((image) => image.tags.capacity?.value).sort()).toEqual([2, 8]);

    // In µm: only the image with a pixel size (0.5 µm), areas times 0.25, lengths times 0.5.
    const um = await viewer.results.objectDescriptors({
      projectId: project.id,
      descriptor: "equivalent_diameter",
      unit: "µm",
      maxPerImage: 1000,
    });
    expect(um).toMatchObject({ unit: "µm", imagesWithoutPixelSize: 1, sampledValues: 30 });
    expect(um.images).toHaveLength(1);
    expect(um.images[0]!.values).toEqual(records.map((r) => r.equivalent_diameter * 0.5));
  });
});
