/**
 * Everything of an image analysis except the database write: load the image's bytes, decode,
 * classify (+ CAM), run the analysis pipeline, and store each map as an 8-bit single-channel
 * PNG blob. Blobs are content-addressed, so computing the same analysis twice (a retried job)
 * stores nothing new. The caller writes the row (upsertAnalysis), possibly in a transaction that
 * also records job progress.
 *
 * The decode, classification, pipeline and map encoding run in a heavy-work thread
 * (analyse-encoded-image.ts, task "analysis.compute"); this function loads, resolves the
 * classifier (database), awaits the thread and stores the PNGs. computeImageAnalyses does the
 * same for several images, with their classifier batched.
 */
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type { Db } from "~/server/db";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import type { AnalysisTaskOutput, EncodedMap } from "~/server/workers/heavy-tasks";
import { decodeLimits, heavyWorkPool, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";
import type {
  AnalysisDescriptors,
  AnalysisMapKeys,
  ClusterStats,
  MapRef,
  StoredAnalysisParams,
} from "./analysis-record";
import { analysisCodeVersion } from "./analysis-record";
import { hashParams } from "./canonical-params";
import { ModelVersionUnavailableError, resolveClassifier } from "~/server/models/resolve-classifier";
import { analysedAreaOf } from "~/server/objects/request-object-set";
import type { CamClass } from "./analysis-params-schema";
import type { ClassifierSpec } from "./classify-raster";
import { ImageAnalysisError } from "./image-analysis-error";
import type { AnalysisParams } from "./run-analysis";

/** A computed analysis, ready to be written as one Analysis row. */
export type ComputedImageAnalysis = {
  imageId: string;
  paramsHash: string;
  params: StoredAnalysisParams;
  codeVersion: string;
  modelVersionId: string | null;
  prediction: string | null;
  probabilities: Record<string, number> | null;
  mapKeys: AnalysisMapKeys;
  clusterStats: ClusterStats;
  descriptors: AnalysisDescriptors;
  /** Why there is no prediction, when classification was skipped. */
  classificationSkipped: string | null;
  /** Milliseconds per stage: load, decode, classify, the analysis steps, store, total. */
  timingsMs: Record<string, number>;
};

/**
 * The classifier for a model reference: null (no classification), skipped (the file is not
 * installed), or a resolved file + head with its ModelVersion. A named version that cannot run
 * fails the image for good (retrying does not bring a deleted version back).
 */
async function classifierFor(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  model: string | null;
}): Promise<ClassifierSpec | { skipped: string } | null> {
  if (options.model === null) return null;
  try {
    const resolved = await resolveClassifier({
      db: options.db,
      store: options.store,
      projectId: options.projectId,
      model: options.model,
    });
    if (resolved.status === "not-installed") return { skipped: resolved.reason };
    return {
      ref: resolved.ref,
      backbonePath: resolved.backbonePath,
      modelVersionId: resolved.modelVersionId,
      head: resolved.head,
      ...(resolved.headFeatures ? { headFeatures: resolved.headFeatures } : {}),
    };
  } catch (error) {
    if (error instanceof ModelVersionUnavailableError) {
      throw new ImageAnalysisError(`the chosen model cannot classify: ${error.message}`, "model-unavailable", {
        cause: error,
      });
    }
    throw error;
  }
}

/** One image to analyse, with how. */
export type ImageAnalysisRequest = {
  projectId: string;
  imageId: string;
  params: AnalysisParams;
  /**
   * Model name or path, or "version:<id>" for a model version of the project (model-ref.ts);
   * null skips classification.
   */
  model: string | null;
  /** The class the CAM explains. @default "predicted" */
  camClass?: CamClass;
  /** What the classifier sees: the centre crop (the reference) or the analysed area by tiles. @default "centre-crop" */
  classification?: ClassificationMode;
  /**
   * The tiles mode: cover the image's analysed area (its data bar left out), not the whole image.
   * @default true
   */
  useAnalysedArea?: boolean;
};

/**
 * Computes the analysis of one image of a project. Throws ImageAnalysisError for an image that
 * can never be analysed (gone, corrupt, unusable); other errors are transient (storage, model).
 */
export async function computeImageAnalysis(
  options: { db: Db; store: BlobStore } & ImageAnalysisRequest,
): Promise<ComputedImageAnalysis> {
  const { db, store, ...request } = options;
  const [result] = await computeImageAnalyses({ db, store, requests: [request] });
  if (result?.status !== "fulfilled") throw result?.reason ?? new Error("internal: no analysis computed");
  return result.value;
}

/** What a request needs in the thread: its bytes and its resolved classifier. */
type PreparedRequest = {
  request: ImageAnalysisRequest;
  bytes: Buffer;
  classifier: ClassifierSpec | { skipped: string } | null;
  camClass: CamClass;
  classification: ClassificationMode;
  /** The tiles mode: the analysed area the tiles cover (image px); null: the whole image. */
  analysedArea: AnalysedArea | null;
  timingsMs: Record<string, number>;
  start: number;
};

/**
 * Computes the analyses of several images at once, each as {@link computeImageAnalysis} would
 * alone (the same numbers, maps and errors), but with one heavy-work task per group of images
 * with the same parameters and classifier, so their classifier runs as one batch. One result per
 * request, in order: fulfilled, or rejected with what computeImageAnalysis would have thrown.
 */
export async function computeImageAnalyses(options: {
  db: Db;
  store: BlobStore;
  requests: ImageAnalysisRequest[];
}): Promise<PromiseSettledResult<ComputedImageAnalysis>[]> {
  const { db, store } = options;
  // The images of a batch mostly share their classifier: resolve each one once.
  const classifiers = new Map<string, ReturnType<typeof classifierFor>>();
  const classifierOf = (projectId: string, model: string | null) => {
    const key = JSON.stringify([projectId, model]);
    let classifier = classifiers.get(key);
    if (!classifier) classifiers.set(key, (classifier = classifierFor({ db, store, projectId, model })));
    return classifier;
  };
  const prepared = await Promise.allSettled(
    options.requests.map(async (request) => {
      const loaded = await load(db, store, request);
      const classifier = await classifierOf(request.projectId, request.model);
      return { ...loaded, classifier };
    }),
  );
  const results: PromiseSettledResult<ComputedImageAnalysis>[] = [];
  const groups = new Map<string, { index: number; item: PreparedRequest }[]>();
  prepared.forEach((entry, index) => {
    if (entry.status === "rejected") {
      results[index] = entry;
      return;
    }
    const item = entry.value;
    const key = JSON.stringify([
      item.request.params,
      classifierKey(item.classifier),
      item.camClass,
      item.classification,
    ]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push({ index, item });
  });

  await Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0]!.item;
      const moved = group.map(({ item }) => movableSource(item.bytes));
      let computed: Awaited<ReturnType<typeof runHeavyTask<"analysis.compute">>>;
      try {
        // Decode, classification, the pipeline and the PNG encoding run in a heavy-work thread:
        // the event loop only awaits them. Limits are checked from the header first.
        computed = await runHeavyTask(
          "analysis.compute",
          {
            sources: moved.map((m) => m.source),
            limits: decodeLimits(),
            params: first.request.params,
            classifier: first.classifier,
            camClass: first.camClass,
            classification: first.classification,
            analysedAreas: group.map(({ item }) => item.analysedArea),
          },
          { transfer: moved.flatMap((m) => m.transfer) },
        );
      } catch (reason) {
        for (const { index } of group) results[index] = { status: "rejected", reason };
        return;
      }
      await Promise.all(
        group.map(async ({ index, item }, i) => {
          const output = computed[i];
          try {
            if (!output) throw new Error("internal: the analysis task returned too few results");
            if (!output.ok) throw heavyWorkPool().revive(output.error);
            results[index] = { status: "fulfilled", value: await storeAnalysis(store, item, output.output) };
          } catch (reason) {
            results[index] = { status: "rejected", reason };
          }
        }),
      );
    }),
  );
  return results;
}

function classifierKey(classifier: PreparedRequest["classifier"]): string {
  if (classifier === null) return "none";
  if ("skipped" in classifier) return `skipped: ${classifier.skipped}`;
  return JSON.stringify([classifier.ref, classifier.backbonePath, classifier.modelVersionId]);
}

/** Loads the image's bytes (the storage side of an analysis). */
async function load(
  db: Db,
  store: BlobStore,
  request: ImageAnalysisRequest,
): Promise<Omit<PreparedRequest, "classifier">> {
  const { projectId, imageId } = request;
  const start = performance.now();
  const image = await db.image.findFirst({
    where: { id: imageId, projectId },
    select: { id: true, blobKey: true, analysedArea: true },
  });
  if (!image) throw new ImageAnalysisError("the image no longer exists", "not-found");
  let bytes: Buffer;
  try {
    bytes = await store.get(image.blobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError)
      throw new ImageAnalysisError("the image file is missing from storage", "missing-file", {
        cause: error,
      });
    throw error;
  }
  const timingsMs: Record<string, number> = { load: performance.now() - start };
  const classification = request.classification ?? "centre-crop";
  // Only the tiles cover an analysed area: the centre crop is the reference's, whatever the image holds.
  const analysedArea = classification === "tiles" && request.useAnalysedArea !== false ? analysedAreaOf(image) : null;
  return {
    request,
    bytes,
    camClass: request.camClass ?? "predicted",
    classification,
    analysedArea,
    timingsMs,
    start,
  };
}

/** Stores the maps of a computed analysis as blobs and assembles its row. */
async function storeAnalysis(
  store: BlobStore,
  item: PreparedRequest,
  computed: AnalysisTaskOutput,
): Promise<ComputedImageAnalysis> {
  const { timingsMs, camClass } = item;
  for (const [step, ms] of Object.entries(computed.timingsMs)) timingsMs[step] = ms;
  const storeStart = performance.now();

  const put = async (map: EncodedMap): Promise<MapRef> => {
    const { key } = await store.put(new Uint8Array(map.png));
    return { key, width: map.width, height: map.height, encoding: map.encoding };
  };
  const { maps } = computed;
  const [grey, segmentation, contrast, cam, ...clusterRefs] = await Promise.all([
    put(maps.grey),
    put(maps.segmentation),
    put(maps.contrast),
    maps.cam ? put(maps.cam) : undefined,
    ...maps.clusters.map((map) => put(map)),
  ]);
  const clusters: AnalysisMapKeys["clusters"] = {};
  maps.clusters.forEach((map, i) => {
    clusters[String(map.requestedK)] = { ...clusterRefs[i]!, k: map.k };
  });
  const mapKeys: AnalysisMapKeys = {
    grey: grey,
    segmentation: segmentation,
    contrast: contrast,
    clusters,
  };
  const classification = computed.classification;
  if (classification.status === "classified" && cam && maps.cam) {
    mapKeys.cam = {
      ...cam,
      classIndex: classification.camClassIndex,
      className: classification.camClassName,
      frame: maps.cam.frame,
    };
  }
  timingsMs.store = performance.now() - storeStart;

  const storedParams: StoredAnalysisParams = {
    analysis: computed.analysisParams,
    classifier:
      classification.status === "classified"
        ? {
            model: classification.modelRequested,
            sha256: classification.model.sha256,
            // Retrained heads are told apart by their version; built-in ones by sha256 alone,
            // so results stored before model versions keep their hash.
            ...(classification.retrainedHead && classification.modelVersionId
              ? { modelVersionId: classification.modelVersionId }
              : {}),
            ...(camClass === "predicted" ? {} : { camClass }),
            // Absent for the centre crop, so results stored before the option keep their hash.
            ...(item.classification === "tiles" ? { classification: "tiles" as const } : {}),
            ...(item.classification === "tiles" && item.analysedArea ? { analysedArea: item.analysedArea } : {}),
          }
        : null,
  };
  const modelVersionId = classification.status === "classified" ? classification.modelVersionId : null;
  timingsMs.total = performance.now() - item.start;

  return {
    imageId: item.request.imageId,
    paramsHash: hashParams(storedParams),
    params: storedParams,
    codeVersion: analysisCodeVersion(),
    modelVersionId,
    prediction: classification.status === "classified" ? classification.prediction : null,
    probabilities: classification.status === "classified" ? classification.probabilities : null,
    mapKeys,
    clusterStats: computed.clusterStats,
    descriptors:
      classification.status === "classified" && classification.calibration
        ? { ...computed.descriptors, calibration: classification.calibration }
        : computed.descriptors,
    classificationSkipped: classification.status === "skipped" ? classification.reason : null,
    timingsMs,
  };
}
