/**
 * Retraining end to end on the real database, queue, blob store and ONNX Runtime (the committed
 * tiny classifier as the built-in model): a labelled project becomes a new ModelVersion with
 * cross-validated metrics and a head blob; a second run reads every feature from the persistent
 * cache; analysing with the version uses its head for probabilities and CAM, and a chosen CAM
 * class gives another map.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseImage } from "~/server/analysis/analyse-image";
import { analysisMapKeysSchema, storedAnalysisParamsSchema } from "~/server/analysis/analysis-record";
import { requestImageAnalysis } from "~/server/analysis/request-image-analysis";
import { db } from "~/server/db";
import { MemoryFeatureCache } from "~/server/inference/feature-cache";
import { computePooledFeatures } from "~/server/inference/pooled-features";
import { retrainedHeadSchema } from "~/server/inference/retrain-head";
import { releaseModels } from "~/server/inference/session-cache";
import { ensureBuiltInModelVersion } from "~/server/models/built-in-models";
import { persistentFeatureCache } from "~/server/models/feature-cache-directory";
import { modelVersionRef } from "~/server/models/model-ref";
import { retrainMetricsSchema } from "~/server/models/model-version-metrics";
import { blobStore } from "~/server/storage";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import {
  installTinyModel,
  repoRoot,
  seedLabelledDataset,
  TINY_MODEL_NAME,
} from "../../models/__tests__/labelled-project";
import { retrainModelJob } from "../definitions";
import { handleRetrainModel } from "../retrain-model.handler";
import { runJobWorkerDuringTests } from "./job-worker";
import { waitFor } from "./seed-images";

beforeAll(() => {
  installTinyModel();
});
// Registered first, so it runs last: after the worker, queue and event bus have stopped.
afterAll(async () => {
  await releaseModels();
});
runJobWorkerDuringTests();

async function finished(jobRunId: string) {
  return waitFor(
    async () => {
      const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
      return run.status === "QUEUED" || run.status === "RUNNING" ? undefined : run;
    },
    { timeoutMs: 60_000, what: `run ${jobRunId}` },
  );
}

type RunPayload = {
  modelVersionId?: string;
  features?: { computed: number; cached: number };
  timingsMs?: { features: number; training: number; total: number };
};

describe("retrain-model", () => {
  it("trains a version from labels, caches features, and classifies with the new head", async () => {
    const { project, users } = await seedProject(db, {
      editor: "EDITOR",
      annotator: "ANNOTATOR",
      viewer: "VIEWER",
    });
    const { images } = await seedLabelledDataset({ db, projectId: project.id, perClass: 6 });
    const editor = callerFor(db, users.editor!);
    const viewer = callerFor(db, users.viewer!);

    expect(await viewer.modelVersion.trainingSet({ projectId: project.id })).toMatchObject({
      classes: ["Spherical", "Dendritic"],
      images: 12,
      groupedBy: "source",
      groups: 12,
      problem: null,
    });

    // ---- first run: every feature computed by the network ----
    const first = await editor.modelVersion.retrain({ projectId: project.id });
    expect(first).toMatchObject({ alreadyRunning: false, images: 12 });
    const run1 = await finished(first.jobRunId);
    expect(run1).toMatchObject({ status: "SUCCEEDED", progressDone: 12, progressTotal: 12, error: null });
    const payload1 = run1.payload as RunPayload;
    expect(payload1.features).toEqual({ computed: 12, cached: 0 });

    const version = await db.modelVersion.findUniqueOrThrow({ where: { id: payload1.modelVersionId! } });
    const builtIn = await db.modelVersion.findFirstOrThrow({ where: { projectId: null } });
    expect(version).toMatchObject({
      projectId: project.id,
      parentId: builtIn.id,
      backboneSha256: builtIn.backboneSha256,
      classes: ["Spherical", "Dendritic"],
      createdById: users.editor!.id,
    });
    expect(version.name).toMatch(/^tiny-visualcnn-fixture \+ 12 labels \(\d{4}-\d{2}-\d{2}\)$/);
    const metrics = retrainMetricsSchema.parse(version.metrics);
    expect(metrics).toMatchObject({
      n: 12,
      perClass: { Spherical: 6, Dendritic: 6 },
      groupedBy: "source",
      groups: 12,
      folds: 5,
      skipped: [],
    });
    expect(metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(12);
    expect(Object.keys(version.labelSnapshot as object)).toHaveLength(12);
    expect((version.labelSnapshot as Record<string, string>)[images[0]!.id]).toBe("Spherical");
    const head = retrainedHeadSchema.parse(JSON.parse((await blobStore().get(version.headBlobKey!)).toString("utf8")));
    expect(head.classes).toEqual(["Spherical", "Dendritic"]);
    expect(head.backboneSha256).toBe(builtIn.backboneSha256);

    // ---- second run: every feature from the persistent cache, equal to a fresh computation ----
    const second = await editor.modelVersion.retrain({ projectId: project.id });
    const run2 = await finished(second.jobRunId);
    const payload2 = run2.payload as RunPayload;
    expect(run2.status).toBe("SUCCEEDED");
    expect(payload2.features).toEqual({ computed: 0, cached: 12 });
    const version2 = await db.modelVersion.findUniqueOrThrow({ where: { id: payload2.modelVersionId! } });
    expect(version2.headBlobKey).toBe(version.headBlobKey); // same features -> the same head, bit for bit
    const firstImage = await db.image.findUniqueOrThrow({ where: { id: images[0]!.id } });
    const fresh = await computePooledFeatures({
      model: `${process.env.MODELS_DIR}/${TINY_MODEL_NAME}.onnx`,
      images: [{ name: "a", bytes: await blobStore().get(firstImage.blobKey) }],
      cache: new MemoryFeatureCache(),
    });
    const cachedFeatures = await persistentFeatureCache().get(builtIn.backboneSha256, firstImage.sha256);
    expect(fresh.entries[0]!.ok && Array.from(fresh.entries[0]!.features)).toEqual(Array.from(cachedFeatures!));
    console.info(
      `[retrain 12 images] cold: features ${payload1.timingsMs!.features.toFixed(0)} ms, training ${payload1.timingsMs!.training.toFixed(0)} ms, total ${payload1.timingsMs!.total.toFixed(0)} ms; ` +
        `cached: features ${payload2.timingsMs!.features.toFixed(0)} ms, total ${payload2.timingsMs!.total.toFixed(0)} ms; ` +
        `CV weighted accuracy ${metrics.weightedAccuracy.toFixed(3)}, weighted F1 ${metrics.weightedF1.toFixed(3)}`,
    );
    expect(payload2.timingsMs!.features).toBeLessThan(payload1.timingsMs!.features);

    // ---- the list and get procedures ----
    const listed = await viewer.modelVersion.list({ projectId: project.id });
    expect(listed.map((v) => [v.id, v.builtIn, v.isDefault])).toEqual([
      [builtIn.id, true, true],
      [version2.id, false, false],
      [version.id, false, false],
    ]);
    expect(listed[0]!.ref).toBe(TINY_MODEL_NAME);
    expect(listed[2]!.ref).toBe(modelVersionRef(version.id));
    const got = await viewer.modelVersion.get({ projectId: project.id, modelVersionId: version.id });
    expect(got.ownLabels).toMatchObject({
      kind: "cross-validation",
      weightedAccuracy: metrics.weightedAccuracy,
      weightedF1: metrics.weightedF1,
      n: 12,
    });
    expect(got.ownLabels!.confusionMatrix).toEqual(metrics.confusionMatrix);
    expect(got.syntheticTest).toBeNull();
    expect(got.parentName).toBe(builtIn.name);
    expect(got.labelCount).toBe(12);

    // ---- analysing with the version: its head gives the probabilities and the CAM ----
    const annotator = users.annotator!.id;
    const imageId = images[1]!.id; // a "lines" image
    const analyseWith = (model: string) =>
      requestImageAnalysis({ db, projectId: project.id, actorId: annotator, imageId, params: { ks: [3] }, model });
    const withBase = await analyseWith(TINY_MODEL_NAME);
    const withVersion = await analyseWith(modelVersionRef(version.id));
    expect(withBase.modelVersionId).toBe(builtIn.id);
    expect(withVersion.modelVersionId).toBe(version.id);
    expect(withVersion.id).not.toBe(withBase.id);
    expect(withVersion.params?.classifier).toMatchObject({
      model: modelVersionRef(version.id),
      modelVersionId: version.id,
      sha256: builtIn.backboneSha256,
    });
    expect(withBase.params?.classifier).toEqual({ model: TINY_MODEL_NAME, sha256: builtIn.backboneSha256 });
    const sorted = (a: { className: string; probability: number }[]) =>
      [...a].sort((x, y) => x.className.localeCompare(y.className));
    expect(sorted(withVersion.probabilities).map((p) => p.className)).toEqual(["Dendritic", "Spherical"]);
    expect(sorted(withBase.probabilities).map((p) => p.className)).toEqual(["Dendrites", "Spheroids"]);
    expect(sorted(withVersion.probabilities).map((p) => p.probability)).not.toEqual(
      sorted(withBase.probabilities).map((p) => p.probability),
    );
    // The new head has learnt the labels: this "lines" image is Dendritic.
    expect(withVersion.prediction).toBe("Dendritic");
    const row = await db.analysis.findUniqueOrThrow({ where: { id: withVersion.id } });
    expect(row.modelVersionId).toBe(version.id);

    // The other class's CAM is a different map, recorded as its own result.
    const predictedIndex = version.classes.indexOf(withVersion.prediction!);
    const other = 1 - predictedIndex;
    const explained = await analyseImage({
      db,
      projectId: project.id,
      imageId,
      params: { ks: [3] },
      model: modelVersionRef(version.id),
      camClass: other,
    });
    expect(explained.analysisId).not.toBe(withVersion.id);
    expect(storedAnalysisParamsSchema.parse(explained.params).classifier?.camClass).toBe(other);
    const predictedCam = analysisMapKeysSchema.parse(row.mapKeys).cam!;
    const otherCam = explained.mapKeys.cam!;
    expect(predictedCam.classIndex).toBe(predictedIndex);
    expect(otherCam).toMatchObject({ classIndex: other, className: version.classes[other] });
    expect(otherCam.key).not.toBe(predictedCam.key);
    expect(explained.prediction).toBe(withVersion.prediction); // the prediction does not depend on the CAM
    // A class index the version does not have is refused.
    await expect(
      callerFor(db, users.annotator!).analysis.run({
        projectId: project.id,
        imageId,
        k: 3,
        model: modelVersionRef(version.id),
        camClass: 5,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The workspace's model picker lists the versions by reference.
    const workspace = await viewer.analysis.workspace({ projectId: project.id, imageId });
    expect(workspace.installedModels.map((m) => m.name)).toEqual([
      TINY_MODEL_NAME,
      modelVersionRef(version2.id),
      modelVersionRef(version.id),
    ]);

    // ---- delete: own versions only; analyses keep their results ----
    await expect(
      editor.modelVersion.delete({ projectId: project.id, modelVersionId: builtIn.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await editor.modelVersion.delete({ projectId: project.id, modelVersionId: version.id });
    expect(await db.modelVersion.findUnique({ where: { id: version.id } })).toBeNull();
    expect((await db.analysis.findUniqueOrThrow({ where: { id: withVersion.id } })).modelVersionId).toBeNull();
    await expect(
      requestImageAnalysis({
        db,
        projectId: project.id,
        actorId: annotator,
        imageId,
        params: { ks: [4] },
        model: modelVersionRef(version.id),
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses clearly when there are too few labels, and other projects' versions", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const { images, classes } = await seedLabelledDataset({
      db,
      projectId: project.id,
      perClass: 2,
      label: false,
    });
    const editor = callerFor(db, users.editor!);
    await expect(editor.modelVersion.retrain({ projectId: project.id })).rejects.toThrow(
      /at least 2 classes with at least 2 labelled images each; no image is labelled yet/,
    );
    await db.imageLabel.createMany({
      data: [
        { imageId: images[0]!.id, labelClassId: classes.blobs.id },
        { imageId: images[2]!.id, labelClassId: classes.blobs.id },
        { imageId: images[1]!.id, labelClassId: classes.lines.id },
      ],
    });
    await expect(editor.modelVersion.retrain({ projectId: project.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/labelled so far: Spherical 2, Dendritic 1/),
    });
    expect((await editor.modelVersion.trainingSet({ projectId: project.id })).problem).toMatch(/Dendritic 1/);

    // Another project's version is invisible here.
    const other = await seedProject(db, { editor: "EDITOR" });
    const foreign = await db.modelVersion.create({
      data: {
        projectId: other.project.id,
        name: "theirs",
        backboneFile: "x.onnx",
        backboneSha256: "0".repeat(64),
        classes: ["a", "b"],
      },
    });
    await expect(editor.modelVersion.get({ projectId: project.id, modelVersionId: foreign.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      editor.modelVersion.delete({ projectId: project.id, modelVersionId: foreign.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      editor.modelVersion.retrain({ projectId: project.id, baseVersionId: foreign.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("retrains 40 labelled images in seconds, faster again with cached features (handler without the queue)", async () => {
    await retrainFortyTwice({ firstIndex: 100, label: "tiny fixture" });
  });

  // The same with the shipped network, when it is installed in the repository's models/.
  it.skipIf(!existsSync(SHIPPED_MODEL))("retrains 40 labelled images with the shipped model in seconds", async () => {
    const shipped = await ensureBuiltInModelVersion({ db, model: SHIPPED_MODEL });
    await retrainFortyTwice({ firstIndex: 200, label: "shipped model", baseVersionId: shipped!.id });
  });
});

const SHIPPED_MODEL = path.join(repoRoot, "models/visual-ccc-synthetic-v2.onnx");

async function retrainFortyTwice(options: { firstIndex: number; label: string; baseVersionId?: string }) {
  const { project, users } = await seedProject(db, { editor: "EDITOR" });
  await seedLabelledDataset({ db, projectId: project.id, perClass: 20, firstIndex: options.firstIndex }); // not cached yet
  const builtIn = options.baseVersionId
    ? await db.modelVersion.findUniqueOrThrow({ where: { id: options.baseVersionId } })
    : await db.modelVersion.findFirstOrThrow({
        where: { projectId: null, backboneFile: `${TINY_MODEL_NAME}.onnx` },
      });
  const timings: { computed: number; cached: number; totalMs: number; featuresMs: number }[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const run = await db.jobRun.create({
      data: { projectId: project.id, type: retrainModelJob.id, createdById: users.editor!.id },
    });
    const result = await handleRetrainModel({
      db,
      store: blobStore(),
      payload: { version: 1, jobRunId: run.id, projectId: project.id, baseVersionId: builtIn.id },
      completeQueueJob: async () => true,
    });
    expect(result.result).toBe("recorded");
    timings.push({
      ...result.features!,
      totalMs: result.timingsMs!.total,
      featuresMs: result.timingsMs!.features,
    });
  }
  console.info(
    `[retrain 40 images, ${options.label}] cold ${JSON.stringify(timings[0])}, cached ${JSON.stringify(timings[1])}`,
  );
  expect(timings[0]).toMatchObject({ computed: 40, cached: 0 });
  expect(timings[1]).toMatchObject({ computed: 0, cached: 40 });
  expect(timings[1]!.totalMs).toBeLessThan(10_000);
}
