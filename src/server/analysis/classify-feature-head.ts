/**
 * Classification with a retrained head that reads measured descriptors (core/descriptors),
 * alone ("descriptors") or after the pooled CNN features ("both"). The head applies to the raw
 * vector [pooled CNN features, descriptors] (its standardisation is folded into the weights).
 *
 * The CAM stays honest: for "both" it is the map of the head's CNN part for the class explained
 * (CAM_c = sum_k w_ck * features_k over the CNN channels only; the descriptors add a constant
 * per class that no pixel map can show); a "descriptors" head has no CAM at all.
 */
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { Raster } from "~/core/analysis/raster";
import { DESCRIPTOR_NAMES, DESCRIPTOR_SET_VERSION, imageDescriptors } from "~/core/descriptors/image-descriptors";
import { classifyImages, type ModelSummary } from "~/server/inference/classify";
import { featureVector } from "~/server/inference/feature-set-head";
import { applyHead, argMax, type LinearHead, softmax } from "~/server/inference/linear-head";
import { INPUT_SIZE } from "~/server/inference/onnx-contract";
import type { HeadFeatures } from "~/server/inference/retrain-head";
import { getModel } from "~/server/inference/session-cache";
import type { CamClass } from "./analysis-params-schema";
import { classifyTiledRaster, framedCentreCropCam, type FramedCam } from "./classify-framed";
import type { ClassificationOutcome, ClassifierSpec } from "./classify-raster";
import { ImageAnalysisError } from "./image-analysis-error";

type FeatureHeadSpec = ClassifierSpec & { head: LinearHead; headFeatures: HeadFeatures };

/** The head over the CNN channels only, zero bias: what the CAM of a "both" head explains. */
function cnnPart(head: LinearHead, channels: number): LinearHead {
  return {
    classes: [...head.classes],
    weights: head.weights.map((row) => row.slice(0, channels)),
    bias: new Float32Array(head.classes.length),
  };
}

/**
 * `tiles`: the tiles mode, with each raster's analysed area (null: the whole image): the CNN part
 * reads the tiles' aggregated pooled features and its CAM covers the area (classify-framed.ts);
 * null: the centre crop. The descriptors are measured on the whole image in both modes.
 */
export async function classifyWithFeatureHead(
  spec: FeatureHeadSpec,
  rasters: Raster[],
  camClass: CamClass,
  tiles: { areas: readonly (AnalysedArea | null)[] } | null = null,
): Promise<(ClassificationOutcome | ImageAnalysisError)[]> {
  const { head, headFeatures } = spec;
  const set = headFeatures.descriptorSet;
  if (set && (set.version !== DESCRIPTOR_SET_VERSION || set.names.join(",") !== DESCRIPTOR_NAMES.join(","))) {
    throw new ImageAnalysisError(
      `the model version reads descriptor set v${set.version}; this build measures v${DESCRIPTOR_SET_VERSION}: retrain it`,
      "model-unavailable",
    );
  }
  if (camClass !== "predicted" && camClass >= head.classes.length) {
    throw new ImageAnalysisError(
      `CAM class ${camClass} does not exist: the classifier has ${head.classes.length} classes`,
      "model-unavailable",
    );
  }
  const descriptors = rasters.map((raster) => {
    try {
      return imageDescriptors(raster);
    } catch (error) {
      return new ImageAnalysisError(
        `the descriptors could not be measured: ${error instanceof Error ? error.message : String(error)}`,
        "unreadable",
      );
    }
  });

  const loaded = await getModel(spec.backbonePath);
  let model: ModelSummary = {
    name: loaded.card.name,
    version: loaded.card.version,
    sha256: loaded.sha256,
    provider: loaded.provider,
    classes: [...head.classes],
  };
  const pooled: (Float32Array | undefined)[] = rasters.map(() => undefined);
  const cams: (FramedCam | undefined)[] = rasters.map(() => undefined);
  const camIndex: (number | undefined)[] = rasters.map(() => undefined);
  const cnnHead = headFeatures.features === "both" ? cnnPart(head, headFeatures.cnnChannels) : null;
  const runCnn = async (indices: number[], cam: "predicted" | { classIndex: number }) => {
    if (!cnnHead || indices.length === 0) return;
    if (tiles) {
      for (const i of indices) {
        const tiled = await classifyTiledRaster({
          backbonePath: spec.backbonePath,
          head: cnnHead,
          raster: rasters[i]!,
          analysedArea: tiles.areas[i] ?? null,
          cam,
        });
        model = { ...tiled.model, classes: [...head.classes] };
        pooled[i] = tiled.result.pooledFeatures;
        cams[i] = tiled.cam;
        camIndex[i] = tiled.result.camClassIndex;
      }
      return;
    }
    const out = await classifyImages({
      model: spec.backbonePath,
      images: indices.map((i) => ({ name: String(i), raster: rasters[i]! })),
      head: cnnHead,
      cam,
    });
    model = { ...out.model, classes: [...head.classes] };
    out.results.forEach((result, j) => {
      const i = indices[j]!;
      if (!result.ok) return;
      pooled[i] = result.pooledFeatures;
      cams[i] = result.cam && framedCentreCropCam(result.cam, INPUT_SIZE, rasters[i]!);
      camIndex[i] = result.camClassIndex;
    });
  };
  const readable = rasters.map((_, i) => i).filter((i) => !(descriptors[i] instanceof ImageAnalysisError));
  await runCnn(readable, camClass === "predicted" ? "predicted" : { classIndex: camClass });

  const outcomes = rasters.map((_, i): { probabilities: Float64Array; classIndex: number } | ImageAnalysisError => {
    const measured = descriptors[i]!;
    if (measured instanceof ImageAnalysisError) return measured;
    if (cnnHead && !pooled[i]) return new ImageAnalysisError("the classifier could not read the image", "unreadable");
    const probabilities = softmax(applyHead(head, featureVector(headFeatures.features, pooled[i], measured)));
    return { probabilities, classIndex: argMax(probabilities) };
  });
  // The CNN part may rank classes differently: explain the class the whole head predicts.
  if (camClass === "predicted") {
    for (const classIndex of head.classes.keys()) {
      const again = outcomes.flatMap((o, i) =>
        !(o instanceof ImageAnalysisError) && o.classIndex === classIndex && camIndex[i] !== classIndex ? [i] : [],
      );
      await runCnn(again, { classIndex });
    }
  }

  return outcomes.map((outcome, i): ClassificationOutcome | ImageAnalysisError => {
    if (outcome instanceof ImageAnalysisError) return outcome;
    const probabilities: Record<string, number> = {};
    head.classes.forEach((name, c) => {
      probabilities[name] = outcome.probabilities[c] ?? 0;
    });
    const explained = camClass === "predicted" ? outcome.classIndex : camClass;
    const cam = cams[i];
    return {
      status: "classified",
      modelRequested: spec.ref,
      model,
      modelVersionId: spec.modelVersionId,
      retrainedHead: true,
      classIndex: outcome.classIndex,
      prediction: head.classes[outcome.classIndex] ?? String(outcome.classIndex),
      probabilities,
      camClassIndex: explained,
      camClassName: head.classes[explained] ?? String(explained),
      ...(cam ? { cam } : {}),
    };
  });
}
