/**
 * The export job end to end: started through its route, run by a worker in this process through
 * the real queue, written as a zip blob (opened with yauzl), served by the download route to
 * members only. Only the session is stubbed (next-auth needs a running Next server).
 */
import sharp from "sharp";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { analyseImage } from "~/server/analysis/analyse-image";
import { db } from "~/server/db";
import { seedProject, seedUser } from "../../../../tests/helpers/seed";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { unzip } from "../../../../tests/helpers/unzip";
import { runJobWorkerDuringTests } from "./job-worker";
import { seedDataset, waitFor } from "./seed-images";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));

const { POST } = await import("~/app/api/projects/[projectId]/exports/jobs/route");
const { GET } = await import("~/app/api/projects/[projectId]/exports/jobs/[jobRunId]/route");

runJobWorkerDuringTests();

beforeEach(() => {
  signedIn.userId = null;
});

function start(projectId: string, body: unknown) {
  return POST(
    new Request("http://localhost/start", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
    {
      params: Promise.resolve({ projectId }),
    },
  );
}

function download(projectId: string, jobRunId: string) {
  return GET(new Request(`http://localhost/api/projects/${projectId}/exports/jobs/${jobRunId}`), {
    params: Promise.resolve({ projectId, jobRunId }),
  });
}

describe("export job", () => {
  it("writes the overlays zip as a blob in the background and serves it to members only", async () => {
    const { project, users } = await seedProject(db, { viewer: "VIEWER" });
    const outsider = await seedUser(db, "outsider");
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 4 });
    // Three analysed images, one not analysed (no overlays of its own).
    const reported = [];
    for (const imageId of imageIds.slice(0, 3)) {
      const { analysisId } = await analyseImage({
        db,
        projectId: project.id,
        imageId,
        params: { ks: [3] },
        model: null,
      });
      reported.push({ imageId, analysisId });
    }
    // What a dataset run under the project's settings records; the export reports those results.
    await reportResults(db, project.id, users.viewer!.id, reported);

    // Outsiders and anonymous callers cannot start one.
    expect((await start(project.id, {})).status).toBe(401);
    signedIn.userId = outsider.id;
    expect((await start(project.id, {})).status).toBe(404);

    signedIn.userId = users.viewer!.id;
    expect((await start(project.id, { kind: "results.csv" })).status).toBe(400);
    const started = await start(project.id, { kind: "overlays.zip", datasetId });
    expect(started.status).toBe(202);
    const { jobRunId } = (await started.json()) as { jobRunId: string };

    const run = await waitFor(
      async () => {
        const r = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
        return r.status === "QUEUED" || r.status === "RUNNING" ? undefined : r;
      },
      { timeoutMs: 30_000, what: "the export" },
    );
    expect(run).toMatchObject({
      type: "export",
      status: "SUCCEEDED",
      progressDone: 3,
      progressTotal: 3,
      createdById: users.viewer!.id,
    });
    const payload = run.payload as { blobKey: string; fileName: string; bytes: number; datasetId: string };
    expect(payload.blobKey).toMatch(/^sha256\/[0-9a-f]{64}$/);
    expect(payload.datasetId).toBe(datasetId);

    const response = await download(project.id, jobRunId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain("overlays.zip");
    const zip = Buffer.from(await response.arrayBuffer());
    expect(zip.byteLength).toBe(payload.bytes);
    const entries = await unzip(zip);
    expect(entries.size).toBe(3 * 4); // grey, segmentation, contrast, clusters-3 per analysed image
    for (const imageId of imageIds.slice(0, 3)) {
      expect(
        [...entries.keys()]
          .filter((name) => name.includes(`_${imageId}/`))
          .map((n) => n.split("/").pop())
          .sort(),
      ).toEqual(["clusters-3.png", "contrast.png", "grey.png", "segmentation.png"]);
    }
    const png = await sharp(entries.values().next().value).metadata();
    expect(png.format).toBe("png");

    // Non-members, anonymous callers and other projects' paths get nothing.
    signedIn.userId = outsider.id;
    expect((await download(project.id, jobRunId)).status).toBe(404);
    signedIn.userId = null;
    expect((await download(project.id, jobRunId)).status).toBe(401);
    const elsewhere = await seedProject(db, { owner: "OWNER" });
    signedIn.userId = elsewhere.users.owner!.id;
    expect((await download(elsewhere.project.id, jobRunId)).status).toBe(404);
    // A run that is not an export is not downloadable either.
    signedIn.userId = users.viewer!.id;
    const other = await db.jobRun.create({
      data: { projectId: project.id, type: "retrain-model", status: "SUCCEEDED", payload },
    });
    expect((await download(project.id, other.id)).status).toBe(404);
  });
});
