/**
 * Condition tags end to end on the real database and sharp: an upload with relative paths and a
 * confirmed pattern stores path tags, an FEI TIFF stores its microscope's, conditions.set changes
 * them in bulk (audited, EDITOR only), and results.csv gains one column per key.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UploadResponse } from "~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route";
import { FEI_TEXT, encodeGreyTiff, pngGrey } from "~/server/codecs/__tests__/test-images";
import { describeActivity } from "~/server/activity/describe-activity";
import { db } from "~/server/db";
import { RESULTS_CSV_COLUMNS, streamResultsCsv } from "~/server/exports/stream-results-csv";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { trpcErrorCode } from "../../../../tests/helpers/trpc-error-code";
import { writeZip } from "~/server/datasets/__tests__/zip-writer";
import { findImageTags } from "../find-image-tags";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));
const { POST } = await import("~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route");

beforeEach(() => {
  signedIn.userId = null;
});

async function seeded() {
  const { project, users } = await seedProject(db, { editor: "EDITOR", viewer: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "li series" } });
  return { project, users, dataset };
}
type Seeded = Awaited<ReturnType<typeof seeded>>;

async function upload(
  { project, dataset }: Seeded,
  files: { path: string; bytes: Buffer }[],
  pattern: string | null,
): Promise<Response> {
  const form = new FormData();
  for (const file of files) {
    form.append("files", new Blob([new Uint8Array(file.bytes)]), file.path.split("/").pop());
    form.append("paths", file.path);
  }
  if (pattern !== null) form.append("pattern", pattern);
  const request = new Request("http://localhost/upload", { method: "POST", body: form });
  return POST(request, { params: Promise.resolve({ projectId: project.id, datasetId: dataset.id }) });
}

/** Uploads as the editor and answers the per-file results. */
async function uploaded(s: Seeded, files: { path: string; bytes: Buffer }[], pattern: string | null) {
  signedIn.userId = s.users.editor!.id;
  return ((await (await upload(s, files, pattern)).json()) as UploadResponse).results;
}

describe("condition tags", () => {
  it("reads tags from folder names at upload, with the confirmed pattern", async () => {
    const s = await seeded();
    signedIn.userId = s.users.editor!.id;
    const response = await upload(
      s,
      [
        { path: "plated/8mAh/1 cycle/a.png", bytes: await pngGrey(16, 16, 1) },
        { path: "plated/6mAh/10 cycles/b.png", bytes: await pngGrey(16, 16, 2) },
        { path: "plated/loose.png", bytes: await pngGrey(16, 16, 3) },
      ],
      "{capacity}/{cycles} cycle*/*",
    );
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as UploadResponse;
    expect(results.map((r) => r.status)).toEqual(["stored", "stored", "stored"]);
    expect(results[0]!.tags).toEqual([
      { key: "capacity", value: 8, unit: "mAh" },
      { key: "cycles", value: 1, unit: null },
    ]);
    expect(results[2]!.tags).toBeUndefined();
    expect(results[2]!.note).toMatch(/^No conditions from the path: "plated\/loose.png" has 1 folder/);

    const tags = await findImageTags({ db, projectId: s.project.id, imageIds: results.map((r) => r.imageId!) });
    expect(tags.get(results[1]!.imageId!)).toEqual({
      capacity: { value: 6, unit: "mAh" },
      cycles: { value: 10, unit: null },
    });
    const rows = await db.imageTag.findMany({ where: { imageId: results[0]!.imageId! } });
    expect(rows.map((row) => row.source)).toEqual(["path", "path"]);
  });

  it("reads the folders inside a zip, below the folder the zip sat in", async () => {
    const s = await seeded();
    const zip = writeZip([
      { name: "8mAh/a.png", data: await pngGrey(16, 16, 11) },
      { name: "6mAh/b.png", data: await pngGrey(16, 16, 12) },
    ]);
    const results = await uploaded(s, [{ path: "li/plated/run.zip", bytes: zip }], "{state}/{capacity}/*");
    expect(results.map((r) => r.tags)).toEqual([
      [
        { key: "state", value: "plated", unit: null },
        { key: "capacity", value: 8, unit: "mAh" },
      ],
      [
        { key: "state", value: "plated", unit: null },
        { key: "capacity", value: 6, unit: "mAh" },
      ],
    ]);
  });

  it("stores the microscope's HV, working distance, detector and pixel size from an FEI TIFF", async () => {
    const s = await seeded();
    signedIn.userId = s.users.editor!.id;
    const bytes = encodeGreyTiff({
      width: 8,
      height: 8,
      samples: new Uint16Array(64).map((_, i) => i * 500),
      textTags: [{ tag: 34682, text: FEI_TEXT }],
    });
    const response = await upload(s, [{ path: "5kV run/x.tif", bytes }], null);
    const { results } = (await response.json()) as UploadResponse;
    const rows = await db.imageTag.findMany({ where: { imageId: results[0]!.imageId! }, orderBy: { key: "asc" } });
    expect(
      rows.map(({ key, numberValue, textValue, unit, source }) => ({ key, numberValue, textValue, unit, source })),
    ).toMatchObject([
      { key: "detector", textValue: "ETD", source: "metadata" },
      { key: "hv", numberValue: 5, unit: "kV", source: "metadata" },
      { key: "pixel size", numberValue: 134.896, unit: "nm", source: "metadata" },
      { key: "working distance", unit: "mm", source: "metadata" },
    ]);
  });

  it("refuses a pattern it cannot read, and paths that do not pair with the files", async () => {
    const s = await seeded();
    signedIn.userId = s.users.editor!.id;
    const bad = await upload(s, [{ path: "8mAh/a.png", bytes: await pngGrey(8, 8, 4) }], "{capacity}{cycles}/*");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^Condition pattern: In "\{capacity\}\{cycles\}"/);

    const form = new FormData();
    form.append("files", new Blob([new Uint8Array(await pngGrey(8, 8, 5))]), "a.png");
    form.append("paths", "x/a.png");
    form.append("paths", "x/b.png");
    const response = await POST(new Request("http://localhost/upload", { method: "POST", body: form }), {
      params: Promise.resolve({ projectId: s.project.id, datasetId: s.dataset.id }),
    });
    expect(response.status).toBe(400);
    expect(await db.image.count({ where: { projectId: s.project.id } })).toBe(0);
  });

  it("sets and removes tags in bulk (EDITOR, audited), refuses a VIEWER, and lists them", async () => {
    const s = await seeded();
    const results = await uploaded(
      s,
      [
        { path: "8mAh/a.png", bytes: await pngGrey(16, 16, 6) },
        { path: "6mAh/b.png", bytes: await pngGrey(16, 16, 7) },
      ],
      "{capacity}/*",
    );
    const imageIds = results.map((r) => r.imageId!);
    const editor = callerFor(db, s.users.editor!);
    const projectId = s.project.id;

    await editor.conditions.set({
      projectId,
      imageIds,
      set: [
        { key: "Electrolyte", value: "LiPF6", unit: null },
        { key: "capacity", value: 3, unit: "mAh" },
      ],
    });
    const listed = await editor.conditions.forDataset({ projectId, datasetId: s.dataset.id });
    expect(listed.byImage[imageIds[0]!]).toEqual([
      { key: "capacity", value: 3, unit: "mAh", source: "manual" },
      { key: "electrolyte", value: "LiPF6", unit: null, source: "manual" },
    ]);
    expect(listed.datasetKeys).toEqual([
      { key: "capacity", units: ["mAh"], images: 2 },
      { key: "electrolyte", units: [null], images: 2 },
    ]);

    await editor.conditions.set({ projectId, imageIds: [imageIds[1]!], remove: ["electrolyte"] });
    expect((await findImageTags({ db, projectId, imageIds })).get(imageIds[1]!)).toEqual({
      capacity: { value: 3, unit: "mAh" },
    });
    const audit = await db.auditEvent.findMany({
      where: { projectId, action: "imageTags.set" },
      orderBy: { id: "asc" },
    });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.data).toMatchObject({ images: 2, remove: [] });
    expect(audit.map((row) => describeActivity(row.action, row.data))).toEqual([
      "set electrolyte = LiPF6, capacity = 3 mAh on 2 images",
      "removed electrolyte on 1 image",
    ]);

    const viewer = callerFor(db, s.users.viewer!);
    expect(
      await trpcErrorCode(viewer.conditions.set({ projectId, imageIds, set: [{ key: "x", value: 1, unit: null }] })),
    ).toBe("FORBIDDEN");
    expect((await viewer.conditions.keys({ projectId })).map((k) => k.key)).toEqual(["capacity", "electrolyte"]);
    expect(await trpcErrorCode(editor.conditions.set({ projectId, imageIds, set: [], remove: [] }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await trpcErrorCode(
        editor.conditions.set({ projectId, imageIds, set: [{ key: "a", value: 1, unit: null }], remove: ["a"] }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("refuses a change that would give an image more than 32 tags, storing nothing", async () => {
    const s = await seeded();
    const results = await uploaded(s, [{ path: "8mAh/a.png", bytes: await pngGrey(16, 16, 8) }], "{capacity}/*");
    const editor = callerFor(db, s.users.editor!);
    const set = Array.from({ length: 32 }, (_, i) => ({ key: `k${i}`, value: i, unit: null }));
    await expect(
      editor.conditions.set({ projectId: s.project.id, imageIds: [results[0]!.imageId!], set }),
    ).rejects.toThrow("This would give an image more than 32 conditions; remove some first.");
    expect(await db.imageTag.count({ where: { imageId: results[0]!.imageId! } })).toBe(1);
  });

  it("adds one results.csv column per key at the end, with the unit when all values share it", async () => {
    const s = await seeded();
    const results = await uploaded(
      s,
      [
        { path: "8mAh/1 cycle/a.png", bytes: await pngGrey(16, 16, 9) },
        { path: "6mAh/10 cycles/b.png", bytes: await pngGrey(16, 16, 10) },
      ],
      "{capacity}/{cycles} cycle*/*",
    );
    await callerFor(db, s.users.editor!).conditions.set({
      projectId: s.project.id,
      imageIds: [results[1]!.imageId!],
      set: [{ key: "note", value: "edge, =cracked", unit: null }],
    });
    let csv = "";
    for await (const chunk of streamResultsCsv({
      db,
      scope: { projectId: s.project.id, datasetId: s.dataset.id },
      settings: { id: null, version: 0 },
    }))
      csv += chunk;
    const [header, ...lines] = csv.trimEnd().split("\r\n");
    expect(header).toBe([...RESULTS_CSV_COLUMNS, "tag:capacity [mAh]", "tag:cycles", "tag:note"].join(","));
    const byFile = (name: string) => lines.find((line) => line.split(",")[2] === name)!;
    expect(byFile("a.png").endsWith(",8,1,")).toBe(true);
    expect(byFile("b.png").endsWith(`,6,10,"'edge, =cracked"`)).toBe(true);
  });
});
