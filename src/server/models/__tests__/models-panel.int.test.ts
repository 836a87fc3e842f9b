/**
 * The Models panel's procedures on the real database, blob store and ONNX Runtime (the committed
 * tiny classifier as the built-in model): a retrained version keeps every image's out-of-fold
 * prediction, and a confusion-matrix cell lists exactly the images it counts; a built-in model is
 * scored on the lab's labels from its stored analyses under the project's settings, in a column
 * of its own; the labelling queue lists unlabelled images least confident first, and never
 * another project's.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { MemoryFeatureCache } from "~/server/inference/feature-cache";
import { releaseModels } from "~/server/inference/session-cache";
import { backbonePath, ensureBuiltInModelVersion } from "~/server/models/built-in-models";
import { collectTrainingSet } from "~/server/models/collect-training-set";
import { PREDICTIONS_NOT_STORED } from "~/server/models/list-confusion-cell-images";
import { retrainMetricsSchema } from "~/server/models/model-version-metrics";
import { trainHeadFromLabels } from "~/server/models/train-head-from-labels";
import { blobStore } from "~/server/storage";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { trpcErrorCode, trpcRefusal } from "../../../../tests/helpers/trpc-error-code";
import { seedImageRow } from "~/server/sharing/__tests__/collaboration-fixtures";
import { installTinyModel, seedLabelledDataset, TINY_MODEL_NAME } from "./labelled-project";

beforeAll(() => {
  installTinyModel();
});
afterAll(async () => {
  await releaseModels();
});

/** An analysis of `imageId` as a run would store it: prediction, calibrated probabilities, calibration. */
function seedClassifiedAnalysis(options: {
  imageId: string;
  modelVersionId: string | null;
  probabilities: Record<string, number>;
  oodScore?: number;
}) {
  const prediction = Object.entries(options.probabilities).sort((a, b) => b[1] - a[1])[0]![0];
  const descriptors: Prisma.InputJsonValue = {
    otsuThreshold: 100,
    foregroundFraction: 0.5,
    meanContrast: 0.1,
    calibration: { temperature: 1.5, oodScore: options.oodScore ?? 1, oodThreshold: 2 },
  };
  return db.analysis.create({
    data: {
      imageId: options.imageId,
      modelVersionId: options.modelVersionId,
      paramsHash: randomBytes(8).toString("hex"),
      params: {},
      codeVersion: "test",
      prediction,
      probabilities: options.probabilities,
      descriptors,
    },
  });
}

async function labelClass(projectId: string, name: string, position: number) {
  return db.labelClass.create({ data: { projectId, name, color: "#888888", position } });
}

describe("confusion-matrix drill-down of a retrained version", () => {
  it("stores each image's out-of-fold prediction; a cell lists exactly the images whose label and prediction match it", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", viewer: "VIEWER" });
    const { images, classes } = await seedLabelledDataset({ db, projectId: project.id, perClass: 5 });
    // Two images labelled against their looks, so that the cross-validation gets some wrong.
    await db.imageLabel.update({ where: { imageId: images[0]!.id }, data: { labelClassId: classes.lines.id } });
    await db.imageLabel.update({ where: { imageId: images[3]!.id }, data: { labelClassId: classes.blobs.id } });
    const builtIn = (await ensureBuiltInModelVersion({ db, model: TINY_MODEL_NAME }))!;
    const set = await collectTrainingSet({ db, projectId: project.id });
    const trained = await trainHeadFromLabels({
      store: blobStore(),
      backbonePath: backbonePath(builtIn.backboneFile),
      set,
      featureCache: new MemoryFeatureCache(),
    });
    if ("stopped" in trained) throw new Error("not cancelled");
    const version = await db.modelVersion.create({
      data: {
        projectId: project.id,
        name: "retrained",
        backboneFile: builtIn.backboneFile,
        backboneSha256: builtIn.backboneSha256,
        headBlobKey: trained.headBlobKey,
        classes: trained.head.classes,
        metrics: { ...trained.metrics, datasetId: null },
        labelSnapshot: trained.labelSnapshot,
        parentId: builtIn.id,
      },
    });
    const metrics = retrainMetricsSchema.parse(version.metrics);
    const predictions = metrics.predictions!;
    expect(predictions).toHaveLength(10);
    expect(new Set(predictions.map((p) => p.imageId))).toEqual(new Set(images.map((i) => i.id)));
    // Each prediction's true class is the image's label as trained on.
    for (const p of predictions) expect(metrics.classes[p.actual]).toBe(trained.labelSnapshot[p.imageId]);

    const viewer = callerFor(db, users.viewer!);
    const listed = await viewer.modelVersion.list({ projectId: project.id });
    const row = listed.find((v) => v.id === version.id)!;
    expect(row.syntheticTest).toBeNull();
    expect(row.ownLabels).toMatchObject({ kind: "cross-validation", n: 10, perImage: true });
    expect(row.ownLabels!.evaluation).toBe("5-fold cross-validation, grouped, over 10 groups (source micrographs)");
    // Per-class precision and recall follow the stored matrix.
    const [, spherical] = metrics.classes;
    const sphericalRow = row.ownLabels!.perClass.find((c) => c.className === spherical)!;
    expect(sphericalRow.support).toBe(5);
    const offDiagonal = metrics.confusionMatrix.flatMap((row, i) => row.filter((_, j) => j !== i));
    expect(offDiagonal.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    let listedImages = 0;
    for (const [actual, actualClass] of metrics.classes.entries()) {
      for (const [predicted, predictedClass] of metrics.classes.entries()) {
        const cell = await viewer.modelVersion.confusionCellImages({
          projectId: project.id,
          modelVersionId: version.id,
          actualClass,
          predictedClass,
        });
        const expected = images
          .filter((image) => trained.labelSnapshot[image.id] === actualClass)
          .filter(
            (image) => metrics.classes[predictions.find((p) => p.imageId === image.id)!.predicted] === predictedClass,
          )
          .map((image) => image.id)
          .sort();
        expect(cell.images.map((image) => image.imageId).sort()).toEqual(expected);
        expect(cell).toMatchObject({
          kind: "cross-validation",
          total: metrics.confusionMatrix[actual]![predicted],
          missing: 0,
        });
        listedImages += cell.images.length;
      }
    }
    expect(listedImages).toBe(10);

    // An image deleted since is counted, not listed.
    const gone = predictions[0]!;
    await db.image.delete({ where: { id: gone.imageId } });
    const cell = await viewer.modelVersion.confusionCellImages({
      projectId: project.id,
      modelVersionId: version.id,
      actualClass: metrics.classes[gone.actual]!,
      predictedClass: metrics.classes[gone.predicted]!,
    });
    expect(cell.missing).toBe(1);
    expect(cell.images.map((image) => image.imageId)).not.toContain(gone.imageId);

    // A version stored before per-image predictions says so.
    const { predictions: _dropped, ...older } = metrics;
    const old = await db.modelVersion.create({
      data: {
        projectId: project.id,
        name: "older",
        backboneFile: builtIn.backboneFile,
        backboneSha256: builtIn.backboneSha256,
        headBlobKey: trained.headBlobKey,
        classes: trained.head.classes,
        metrics: older,
        labelSnapshot: trained.labelSnapshot,
      },
    });
    const oldRow = (await viewer.modelVersion.list({ projectId: project.id })).find((v) => v.id === old.id)!;
    expect(oldRow.ownLabels).toMatchObject({ kind: "cross-validation", perImage: false });
    const refusal = await trpcRefusal(
      viewer.modelVersion.confusionCellImages({
        projectId: project.id,
        modelVersionId: old.id,
        actualClass: metrics.classes[0]!,
        predictedClass: metrics.classes[0]!,
      }),
    );
    expect(refusal).toEqual({ code: "BAD_REQUEST", message: PREDICTIONS_NOT_STORED });

    // Another project's member cannot reach the version, nor its images through their own project.
    const other = await seedProject(db, { viewer: "VIEWER" });
    const outsider = callerFor(db, other.users.viewer!);
    const input = { modelVersionId: version.id, actualClass: metrics.classes[0]!, predictedClass: metrics.classes[0]! };
    expect(await trpcErrorCode(outsider.modelVersion.confusionCellImages({ projectId: project.id, ...input }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await trpcErrorCode(outsider.modelVersion.confusionCellImages({ projectId: other.project.id, ...input })),
    ).toBe("NOT_FOUND");
  });
});

describe("a built-in model on the lab's labels", () => {
  it("is scored from stored analyses under the project's settings, apart from its synthetic test, and its cells list those images", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "lab" } });
    const builtIn = (await ensureBuiltInModelVersion({ db, model: TINY_MODEL_NAME }))!;
    expect(builtIn.classes).toEqual(["Dendrites", "Spheroids"]);
    const viewer = callerFor(db, users.viewer!);

    // Nothing run under the project's settings yet: no scores on the labels, and why.
    const before = (await viewer.modelVersion.list({ projectId: project.id })).find((v) => v.id === builtIn.id)!;
    expect(before.ownLabels).toBeNull();
    expect(before.ownLabelsMissing).toMatch(/No image has been analysed under the project's settings/);

    // Labels spelt differently from the model's classes, and one class the model does not have.
    const dendrites = await labelClass(project.id, "dendrites", 0);
    const spheroids = await labelClass(project.id, "SPHEROIDS", 1);
    const mossy = await labelClass(project.id, "mossy", 2);
    const cases = [
      { name: "d1.png", label: dendrites, probabilities: { Dendrites: 0.9, Spheroids: 0.1 } },
      { name: "d2.png", label: dendrites, probabilities: { Dendrites: 0.3, Spheroids: 0.7 } },
      { name: "s1.png", label: spheroids, probabilities: { Dendrites: 0.2, Spheroids: 0.8 } },
      { name: "s2.png", label: spheroids, probabilities: { Dendrites: 0.4, Spheroids: 0.6 } },
      { name: "m1.png", label: mossy, probabilities: { Dendrites: 0.55, Spheroids: 0.45 } },
      { name: "unlabelled.png", label: null, probabilities: { Dendrites: 0.9, Spheroids: 0.1 } },
    ];
    const reported: { imageId: string; analysisId: string }[] = [];
    const ids = new Map<string, string>();
    for (const c of cases) {
      const image = await seedImageRow(db, { projectId: project.id, datasetId: dataset.id, fileName: c.name });
      ids.set(c.name, image.id);
      if (c.label) await db.imageLabel.create({ data: { imageId: image.id, labelClassId: c.label.id } });
      const analysis = await seedClassifiedAnalysis({
        imageId: image.id,
        modelVersionId: builtIn.id,
        probabilities: c.probabilities,
      });
      reported.push({ imageId: image.id, analysisId: analysis.id });
    }
    // An analysis no SettingsResult reports (viewed once, other parameters) does not count.
    const notReported = await seedImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "viewed.png",
    });
    await db.imageLabel.create({ data: { imageId: notReported.id, labelClassId: dendrites.id } });
    await seedClassifiedAnalysis({
      imageId: notReported.id,
      modelVersionId: builtIn.id,
      probabilities: { Dendrites: 0.1, Spheroids: 0.9 },
    });
    await reportResults(db, project.id, users.owner!.id, reported);

    const row = (await viewer.modelVersion.list({ projectId: project.id })).find((v) => v.id === builtIn.id)!;
    expect(row.builtIn).toBe(true);
    expect(row.ownLabels).toMatchObject({ kind: "stored-analyses", n: 5, perImage: true });
    expect(row.ownLabels!.classes).toEqual(["Dendrites", "Spheroids", "mossy"]);
    expect(row.ownLabels!.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    expect(row.ownLabels!.weightedAccuracy).toBeCloseTo(3 / 5, 12);
    expect(row.ownLabels!.perClass).toEqual([
      { className: "Dendrites", support: 2, predicted: 2, truePositives: 1, precision: 0.5, recall: 0.5 },
      { className: "Spheroids", support: 2, predicted: 3, truePositives: 2, precision: 2 / 3, recall: 1 },
      { className: "mossy", support: 1, predicted: 0, truePositives: 0, precision: null, recall: 0 },
    ]);
    expect(row.ownLabels!.evaluation).toMatch(/settings v1/);
    // The tiny fixture's card has no synthetic test; whatever it has never lands in ownLabels.
    expect(row.syntheticTest).toBeNull();

    const cell = (actualClass: string, predictedClass: string) =>
      viewer.modelVersion.confusionCellImages({
        projectId: project.id,
        modelVersionId: builtIn.id,
        actualClass,
        predictedClass,
      });
    expect((await cell("Dendrites", "Spheroids")).images.map((i) => i.fileName)).toEqual(["d2.png"]);
    expect((await cell("Spheroids", "Spheroids")).images.map((i) => i.fileName)).toEqual(["s1.png", "s2.png"]);
    expect((await cell("mossy", "Dendrites")).images).toEqual([
      { imageId: ids.get("m1.png"), fileName: "m1.png", datasetId: dataset.id, datasetName: "lab" },
    ]);
    expect((await cell("Dendrites", "Dendrites")).images.map((i) => i.fileName)).toEqual(["d1.png"]);
    expect(await trpcErrorCode(cell("Dendrites", "rods"))).toBe("BAD_REQUEST");

    // Labels change: the scores follow the current labels.
    await db.imageLabel.update({ where: { imageId: ids.get("d2.png")! }, data: { labelClassId: spheroids.id } });
    const relabelled = (await viewer.modelVersion.get({ projectId: project.id, modelVersionId: builtIn.id }))
      .ownLabels!;
    expect(relabelled.confusionMatrix[1]).toEqual([0, 3, 0]);
    expect((await cell("Dendrites", "Spheroids")).images).toEqual([]);
  });
});

describe("least confident first", () => {
  it("lists unlabelled images with a reported prediction, uncertain first, then by probability, ties by name", async () => {
    const { project, users } = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
    const first = await db.dataset.create({ data: { projectId: project.id, name: "first" } });
    const second = await db.dataset.create({ data: { projectId: project.id, name: "second" } });
    const labelled = await labelClass(project.id, "dendritic", 0);
    const viewer = callerFor(db, users.viewer!);

    // Before any run under the project's settings: an empty queue that says why.
    expect(await viewer.modelVersion.leastConfidentImages({ projectId: project.id })).toMatchObject({
      settingsVersion: 0,
      total: 0,
      images: [],
      note: expect.stringMatching(/run a dataset analysis/),
    });

    const seeded = [
      // name, dataset, probability of the predicted class, OOD score (threshold 2), labelled
      { name: "a-unlike.png", dataset: first, p: 0.95, ood: 5 },
      { name: "b-low.png", dataset: first, p: 0.55 },
      { name: "c.png", dataset: first, p: 0.75 },
      { name: "d.png", dataset: first, p: 0.75 },
      { name: "e.png", dataset: first, p: 0.99 },
      { name: "f-labelled.png", dataset: first, p: 0.51, label: true },
      { name: "h-second.png", dataset: second, p: 0.72 },
    ];
    const reported: { imageId: string; analysisId: string }[] = [];
    for (const s of seeded) {
      const image = await seedImageRow(db, { projectId: project.id, datasetId: s.dataset.id, fileName: s.name });
      if (s.label) await db.imageLabel.create({ data: { imageId: image.id, labelClassId: labelled.id } });
      // An older analysis at a lower probability, which the settings do not report.
      if (s.name === "e.png")
        await seedClassifiedAnalysis({
          imageId: image.id,
          modelVersionId: null,
          probabilities: { dendritic: 0.4, spherical: 0.6 },
        });
      const analysis = await seedClassifiedAnalysis({
        imageId: image.id,
        modelVersionId: null,
        probabilities: { dendritic: s.p, spherical: 1 - s.p },
        oodScore: s.ood,
      });
      reported.push({ imageId: image.id, analysisId: analysis.id });
    }
    // Analysed, but never under the project's settings: not in the queue.
    const unreported = await seedImageRow(db, {
      projectId: project.id,
      datasetId: first.id,
      fileName: "0-unreported.png",
    });
    await seedClassifiedAnalysis({
      imageId: unreported.id,
      modelVersionId: null,
      probabilities: { dendritic: 0.5, spherical: 0.5 },
    });
    // A failed image (no analysis) is not in the queue either.
    const failed = await seedImageRow(db, { projectId: project.id, datasetId: first.id, fileName: "0-failed.png" });
    await reportResults(db, project.id, users.owner!.id, [...reported, { imageId: failed.id, failure: "unreadable" }]);

    // Another project, with less confident images of its own, reported under its settings.
    const other = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
    const otherDataset = await db.dataset.create({ data: { projectId: other.project.id, name: "theirs" } });
    const theirs = await seedImageRow(db, {
      projectId: other.project.id,
      datasetId: otherDataset.id,
      fileName: "0-theirs.png",
    });
    const theirAnalysis = await seedClassifiedAnalysis({
      imageId: theirs.id,
      modelVersionId: null,
      probabilities: { dendritic: 0.5, spherical: 0.5 },
    });
    await reportResults(db, other.project.id, other.users.owner!.id, [
      { imageId: theirs.id, analysisId: theirAnalysis.id },
    ]);

    const queue = await viewer.modelVersion.leastConfidentImages({ projectId: project.id });
    expect(queue.images.map((i) => i.fileName)).toEqual([
      "b-low.png",
      "a-unlike.png",
      "h-second.png",
      "c.png",
      "d.png",
      "e.png",
    ]);
    expect(queue).toMatchObject({ settingsVersion: 1, total: 6, note: null });
    expect(queue.images[0]).toMatchObject({
      prediction: "dendritic",
      probability: 0.55,
      uncertainReason: expect.stringMatching(/low confidence/),
    });
    expect(queue.images[1]!.uncertainReason).toMatch(/unlike the training images/);
    expect(queue.images[2]).toMatchObject({
      datasetId: second.id,
      datasetName: "second",
      probability: 0.72,
      uncertainReason: null,
    });
    expect(queue.images[5]!.probability).toBe(0.99);

    const firstOnly = await viewer.modelVersion.leastConfidentImages({
      projectId: project.id,
      datasetId: first.id,
      limit: 3,
    });
    expect(firstOnly.images.map((i) => i.fileName)).toEqual(["b-low.png", "a-unlike.png", "c.png"]);
    expect(firstOnly.total).toBe(5);

    // Labelling an image takes it off the queue.
    await callerFor(db, users.owner!).annotation.setImageLabels({
      projectId: project.id,
      imageIds: [queue.images[0]!.imageId],
      labelClassId: labelled.id,
    });
    const after = await viewer.modelVersion.leastConfidentImages({ projectId: project.id });
    expect(after.images.map((i) => i.fileName)).toEqual(["a-unlike.png", "h-second.png", "c.png", "d.png", "e.png"]);

    // The other project's queue holds only its own image; its viewer cannot read this project's queue,
    // nor pass this project's dataset through their own project.
    const otherViewer = callerFor(db, other.users.viewer!);
    expect(
      (await otherViewer.modelVersion.leastConfidentImages({ projectId: other.project.id })).images.map(
        (i) => i.fileName,
      ),
    ).toEqual(["0-theirs.png"]);
    expect(await trpcErrorCode(otherViewer.modelVersion.leastConfidentImages({ projectId: project.id }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await trpcErrorCode(
        otherViewer.modelVersion.leastConfidentImages({ projectId: other.project.id, datasetId: first.id }),
      ),
    ).toBe("NOT_FOUND");
    // Signed-out callers are refused before anything is read.
    expect(await trpcErrorCode(callerFor(db, null).modelVersion.leastConfidentImages({ projectId: project.id }))).toBe(
      "UNAUTHORIZED",
    );
  });
});
