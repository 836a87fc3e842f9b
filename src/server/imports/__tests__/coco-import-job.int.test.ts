/**
 * The COCO import end to end: the route (202 / 413 / 415 / 400) stores the upload and starts an
 * import-coco run; a worker in this process takes it through the real queue, validates the whole
 * document, writes the regions in batches with progress, and finishes or fails the run with a
 * readable reason. Only the session is stubbed (next-auth needs a running Next server).
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/server/db";
import { importCocoRunPayloadSchema } from "~/server/jobs/definitions";
import { seedImageRows } from "../../../../tests/helpers/project-images";
import { seedProject } from "../../../../tests/helpers/seed";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { runJobWorkerDuringTests } from "../../jobs/__tests__/job-worker";
import { waitForFinishedRun } from "../../jobs/__tests__/seed-images";
import { seedImageRow } from "../../sharing/__tests__/collaboration-fixtures";
import { COCO_IMPORT_LIMITS } from "../coco-import-limits";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));

const { POST } = await import("~/app/api/projects/[projectId]/exports/[kind]/route");

runJobWorkerDuringTests();

beforeEach(() => {
  signedIn.userId = null;
});

function upload(projectId: string, body: BodyInit, headers: Record<string, string> = {}, datasetId?: string) {
  const query = datasetId ? `?datasetId=${datasetId}` : "";
  return POST(
    new Request(`http://localhost/api/projects/${projectId}/exports/annotations.coco.json${query}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
      duplex: "half",
    } as RequestInit),
    { params: Promise.resolve({ projectId, kind: "annotations.coco.json" }) },
  );
}

const finishedRun = (jobRunId: string) => waitForFinishedRun(db, jobRunId, { timeoutMs: 60_000, what: "the import" });

async function editorProject() {
  const { project, users } = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: "d" } });
  signedIn.userId = users.owner!.id;
  return { project, users, dataset };
}

describe("COCO import route", () => {
  it("answers 415 for another content type, 413 for a file over the cap, 400 for what is not a COCO object", async () => {
    const { project, users } = await editorProject();
    const ok = JSON.stringify({ images: [] });

    expect((await upload(project.id, ok, { "content-type": "text/plain" })).status).toBe(415);

    // Too large by its Content-Length: refused before the body is read.
    const declared = await upload(project.id, ok, {
      "content-length": String(COCO_IMPORT_LIMITS.maxDocumentBytes + 1),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      code: "TOO_LARGE",
      error: "COCO files up to 64 MiB can be imported",
    });

    // Too large while streaming (no Content-Length): refused as soon as the cap is passed.
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > COCO_IMPORT_LIMITS.maxDocumentBytes + 4 * chunk.byteLength) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await upload(project.id, stream);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThanOrEqual(COCO_IMPORT_LIMITS.maxDocumentBytes + 3 * chunk.byteLength);

    for (const [body, message] of [
      ["not json", "Not a COCO annotation file: the file is not a JSON object"],
      ["[1, 2]", "Not a COCO annotation file: the file is not a JSON object"],
      ['{"annotations": []}', 'Not a COCO annotation file: it has no "images"'],
      ["   ", "The file is empty"],
    ] as const) {
      const response = await upload(project.id, body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ code: "BAD_INPUT", error: message });
    }
    // Viewers cannot import.
    signedIn.userId = users.viewer!.id;
    expect((await upload(project.id, ok)).status).toBe(403);
    expect(await db.jobRun.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("COCO import job", () => {
  it("imports 20 000 annotations in batches as a job, with progress and one audit event", async () => {
    const { project, users, dataset } = await editorProject();
    const images = await seedImageRows(db, { projectId: project.id, datasetId: dataset.id }, 4, (i) => ({
      fileName: `img-${i}.png`,
      width: 640,
      height: 480,
    }));
    const count = 20_000;
    const document = {
      images: images.map((image, i) => ({ id: i + 1, file_name: image.fileName, width: 640, height: 480 })),
      categories: [
        { id: 1, name: "Dendrite" },
        { id: 2, name: "Needle" },
      ],
      annotations: Array.from({ length: count }, (_, i) => ({
        image_id: (i % 4) + 1,
        category_id: (i % 2) + 1,
        bbox: [i % 600, (i * 7) % 450, 10, 12],
      })),
    };
    const started = Date.now();
    const response = await upload(project.id, JSON.stringify(document));
    expect(response.status).toBe(202);
    const { jobRunId, alreadyRunning } = (await response.json()) as { jobRunId: string; alreadyRunning: boolean };
    expect(alreadyRunning).toBe(false);

    const run = await finishedRun(jobRunId);
    console.info(`20 000 annotations imported as a job in ${Date.now() - started} ms`);
    expect(run).toMatchObject({
      type: "import-coco",
      status: "SUCCEEDED",
      progressDone: count,
      progressTotal: count,
      createdById: users.owner!.id,
      error: null,
    });
    const payload = importCocoRunPayloadSchema.parse(run.payload);
    expect(payload).toMatchObject({ phase: "done", regionsWritten: count });
    expect(payload.result).toMatchObject({
      matchedImages: 4,
      regionsCreated: count,
      labelClassesCreated: ["Dendrite", "Needle"],
      skippedAnnotations: [],
    });
    expect(await db.region.count({ where: { image: { projectId: project.id } } })).toBe(count);
    const audits = await db.auditEvent.findMany({
      where: { projectId: project.id, action: { in: ["annotations.import", "job.start"] } },
    });
    expect(audits.map((a) => a.action).sort()).toEqual(["annotations.import", "job.start"]);
    expect(audits.find((a) => a.action === "annotations.import")!.data).toMatchObject({
      format: "coco",
      regions: count,
      jobRunId,
    });
    // The uploaded document is dropped once the run is over.
    const { blobStore } = await import("~/server/storage");
    expect(await blobStore().has(payload.blobKey)).toBe(false);
  });

  it("fails the run with the cap in its message, writing nothing", async () => {
    const { project, dataset } = await editorProject();
    await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: "a.png" });
    const document = {
      images: [{ id: 1, file_name: "a.png" }],
      categories: Array.from({ length: COCO_IMPORT_LIMITS.maxCategories + 1 }, (_, i) => ({
        id: i + 1,
        name: `c${i}`,
      })),
      annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }],
    };
    const response = await upload(project.id, JSON.stringify(document));
    expect(response.status).toBe(202);
    const run = await finishedRun(((await response.json()) as { jobRunId: string }).jobRunId);
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe(
      `Not a COCO annotation file: categories: at most ${COCO_IMPORT_LIMITS.maxCategories} categories can be imported at once`,
    );
    expect(await db.labelClass.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db.region.count({ where: { image: { projectId: project.id } } })).toBe(0);
  });

  it("downsamples the mask of a 20000 x 20000 image and skips an RLE that does not fit its image", async () => {
    const { project, dataset } = await editorProject();
    const huge = await seedImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "huge.tif",
      width: 20_000,
      height: 20_000,
    });
    await seedImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "small.png",
      width: 64,
      height: 48,
    });
    const pixels = 20_000 * 20_000;
    const document = {
      images: [
        { id: 1, file_name: "huge.tif", width: 20_000, height: 20_000 },
        { id: 2, file_name: "small.png", width: 64, height: 48 },
      ],
      categories: [{ id: 1, name: "Blob" }],
      annotations: [
        { image_id: 1, category_id: 1, segmentation: { counts: [pixels / 2, pixels / 2], size: [20_000, 20_000] } },
        { image_id: 2, category_id: 1, segmentation: { counts: [0, pixels], size: [20_000, 20_000] } },
        { image_id: 2, category_id: 1, segmentation: [[0, 0, 5000, 0, 5000, 40]] },
      ],
    };
    const response = await upload(project.id, JSON.stringify(document), {}, dataset.id);
    expect(response.status).toBe(202);
    const run = await finishedRun(((await response.json()) as { jobRunId: string }).jobRunId);
    expect(run.status).toBe("SUCCEEDED");
    expect(importCocoRunPayloadSchema.parse(run.payload).result).toMatchObject({
      regionsCreated: 1,
      skippedAnnotations: [
        { reason: "An RLE mask of 20000 x 20000 pixels does not fit its 64 x 48 image", count: 1 },
        { reason: "A polygon lies outside its 64 x 48 image", count: 1 },
      ],
    });
    const region = await db.region.findFirstOrThrow({ where: { imageId: huge.id } });
    // Right half foreground (column-major: the second half of the pixels), on a 4096 x 4096 grid.
    expect(region.geometry).toMatchObject({ kind: "mask", gridWidth: 4096, gridHeight: 4096 });
    expect((region.geometry as { runs: number[] }).runs.slice(0, 3)).toEqual([2048, 2048, 2048]);
  });
});
