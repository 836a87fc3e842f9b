/**
 * A dataset's own runs (job.list / job.watch with a dataset, what its progress panels show): its
 * whole-dataset analysis and SAM 2 runs, newest first; not a SAM 2 or analysis run of one of its
 * images, not another dataset's runs, not the project's other runs. The run types the client
 * picks them by (src/core/dataset-run-types.ts) are the jobs' own ids.
 */
import { describe, expect, it } from "vitest";
import { DATASET_ANALYSIS_RUN_TYPES, DATASET_SAM2_RUN_TYPES } from "~/core/dataset-run-types";
import { db } from "~/server/db";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { analyseDatasetJob, analyseImageJob, exportJob, sam2EmbedJob, sam2GenerateJob } from "../definitions";

describe("a dataset's runs", () => {
  it("are the dataset's whole-dataset analysis and SAM 2 runs, newest first", async () => {
    const { project, users } = await seedProject(db, { viewer: "VIEWER" });
    const [mine, other] = await Promise.all(
      ["mine", "other"].map((name) => db.dataset.create({ data: { projectId: project.id, name } })),
    );
    const model = { name: "probe", pairSha256: "0".repeat(64) };
    let minute = 0;
    const run = (type: string, payload: Record<string, unknown>) =>
      db.jobRun.create({
        data: {
          projectId: project.id,
          type,
          status: "SUCCEEDED",
          payload: payload as never,
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, minute++)),
        },
      });
    const analysis = await run(analyseDatasetJob.id, { datasetId: mine!.id });
    const prepare = await run(sam2EmbedJob.id, { datasetId: mine!.id, model, params: null });
    await run(sam2GenerateJob.id, { datasetId: mine!.id, imageId: "an-image", model, params: null });
    await run(analyseImageJob.id, { datasetId: mine!.id, imageId: "an-image" });
    await run(sam2GenerateJob.id, { datasetId: other!.id, model, params: null });
    await run(analyseDatasetJob.id, { datasetId: other!.id });
    await run(exportJob.id, { kind: "overlays.zip", datasetId: mine!.id });
    const generate = await run(sam2GenerateJob.id, { datasetId: mine!.id, model, params: null });

    const viewer = callerFor(db, users.viewer!);
    const listed = await viewer.job.list({ projectId: project.id, datasetId: mine!.id });
    expect(listed.map((r) => [r.id, r.type, r.datasetId])).toEqual([
      [generate.id, "sam2-generate", mine!.id],
      [prepare.id, "sam2-embed", mine!.id],
      [analysis.id, "analyse-dataset", mine!.id],
    ]);
    const stream = await viewer.job.watch({ projectId: project.id, datasetId: mine!.id });
    for await (const runs of stream) {
      expect(runs.map((r) => r.id)).toEqual([generate.id, prepare.id, analysis.id]);
      break;
    }
    expect(await viewer.job.list({ projectId: project.id })).toHaveLength(8);
  });

  it("are picked on the client by the jobs' own ids", () => {
    expect([...DATASET_ANALYSIS_RUN_TYPES]).toEqual([analyseDatasetJob.id]);
    expect([...DATASET_SAM2_RUN_TYPES]).toEqual([sam2EmbedJob.id, sam2GenerateJob.id]);
  });
});
