/**
 * Retraining on measured descriptors, end to end on the real database, queue, blob store and ONNX
 * Runtime (the committed tiny classifier): a "both" version records its feature set, stores its
 * standardiser and descriptor names with the head, and analyses an image with a CAM of its CNN
 * part; a "descriptors" version classifies without any CAM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESCRIPTOR_NAMES } from "~/core/descriptors/image-descriptors";
import { analysisMapKeysSchema } from "~/server/analysis/analysis-record";
import { requestImageAnalysis } from "~/server/analysis/request-image-analysis";
import { db } from "~/server/db";
import { retrainedHeadSchema } from "~/server/inference/retrain-head";
import { releaseModels } from "~/server/inference/session-cache";
import { modelVersionRef } from "~/server/models/model-ref";
import { retrainMetricsSchema } from "~/server/models/model-version-metrics";
import { blobStore } from "~/server/storage";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { installTinyModel, seedLabelledDataset } from "../../models/__tests__/labelled-project";
import { runJobWorkerDuringTests } from "./job-worker";
import { waitFor } from "./seed-images";

beforeAll(() => {
  installTinyModel();
});
afterAll(async () => {
  await releaseModels();
});
runJobWorkerDuringTests();

async function versionOf(jobRunId: string) {
  const run = await waitFor(
    async () => {
      const r = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
      return r.status === "QUEUED" || r.status === "RUNNING" ? undefined : r;
    },
    { timeoutMs: 60_000, what: `run ${jobRunId}` },
  );
  expect(run).toMatchObject({ status: "SUCCEEDED", error: null });
  const id = (run.payload as { modelVersionId?: string }).modelVersionId!;
  return db.modelVersion.findUniqueOrThrow({ where: { id } });
}

describe("retrain-model with descriptor features", () => {
  it("trains 'both' and 'descriptors' versions and analyses with them", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", annotator: "ANNOTATOR", viewer: "VIEWER" });
    const { images } = await seedLabelledDataset({ db, projectId: project.id, perClass: 5 });
    const editor = callerFor(db, users.editor!);

    const both = await versionOf(
      (await editor.modelVersion.retrain({ projectId: project.id, featureSet: "both" })).jobRunId,
    );
    const metrics = retrainMetricsSchema.parse(both.metrics);
    expect(metrics).toMatchObject({ featureSet: "both", n: 10, validation: "grouped-k-fold" });
    const head = retrainedHeadSchema.parse(JSON.parse((await blobStore().get(both.headBlobKey!)).toString("utf8")));
    expect(head.featureSet?.features).toBe("both");
    expect(head.featureSet?.descriptorSet?.names).toEqual([...DESCRIPTOR_NAMES]);
    const channels = head.featureSet!.cnnChannels;
    expect(channels).toBeGreaterThan(0);
    expect(head.weights[0]).toHaveLength(channels + DESCRIPTOR_NAMES.length);
    expect(head.featureSet?.standardiser.mean).toHaveLength(channels + DESCRIPTOR_NAMES.length);

    const listed = await callerFor(db, users.viewer!).modelVersion.list({ projectId: project.id });
    expect(listed.find((v) => v.id === both.id)?.featureSet).toBe("both");
    expect(listed.find((v) => v.builtIn)?.featureSet).toBe("cnn");

    const annotator = users.annotator!.id;
    const imageId = images[1]!.id; // a "lines" image
    const analyseWith = async (modelVersionId: string) => {
      const analysis = await requestImageAnalysis({
        db,
        projectId: project.id,
        actorId: annotator,
        imageId,
        params: { ks: [3] },
        model: modelVersionRef(modelVersionId),
      });
      const mapKeys = analysisMapKeysSchema.parse(
        (await db.analysis.findUniqueOrThrow({ where: { id: analysis.id } })).mapKeys,
      );
      return { analysis, mapKeys };
    };
    const { analysis: analysed, mapKeys: keys } = await analyseWith(both.id);
    expect(analysed.modelVersionId).toBe(both.id);
    expect(analysed.prediction).toBe("Dendritic");
    expect(analysed.probabilities.map((p) => p.className).sort()).toEqual(["Dendritic", "Spherical"]);
    expect(keys.cam).toMatchObject({ className: "Dendritic" });

    const measured = await versionOf(
      (await editor.modelVersion.retrain({ projectId: project.id, featureSet: "descriptors" })).jobRunId,
    );
    expect(retrainMetricsSchema.parse(measured.metrics).featureSet).toBe("descriptors");
    const { analysis: noCam, mapKeys: noCamKeys } = await analyseWith(measured.id);
    expect(noCam.modelVersionId).toBe(measured.id);
    expect(noCam.prediction).not.toBeNull();
    expect(noCamKeys.cam).toBeUndefined();
  });
});
