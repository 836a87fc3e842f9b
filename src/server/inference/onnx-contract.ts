/**
 * THE one place that knows the ONNX contract of a classification model (docs/reference.md, "Classification"):
 * - input  `image`    float32 [N, 1, 256, 256], values in [0, 1] (preprocess.ts);
 * - output `features` float32 [N, C, h, w], the last conv block;
 * - output `logits`   float32 [N, K] = head.weights @ mean_hw(features) + head.bias, where the
 *   linear head is stored in the model card (CAM needs it, ONNX Runtime does not expose weights).
 * A model file that breaks any of this is refused with a message naming what is wrong.
 */
import "server-only";
import * as ort from "onnxruntime-node";

import { applyHead, type LinearHead } from "./linear-head";

export const INPUT_NAME = "image";
export const FEATURES_OUTPUT = "features";
export const LOGITS_OUTPUT = "logits";
export const INPUT_SIZE = 256;
export const INPUT_PLANE = INPUT_SIZE * INPUT_SIZE;

/** A model file or model card that does not follow the contract. */
export class ModelContractError extends Error {
  override readonly name = "ModelContractError";
  constructor(
    readonly modelPath: string,
    problem: string,
  ) {
    super(`${modelPath}: ${problem}`);
  }
}

/** What the probe found out about a valid model. */
export type ContractShape = {
  featureChannels: number;
  featureHeight: number;
  featureWidth: number;
  numClasses: number;
};

/** Wraps ONNX Runtime's load failure ("protobuf parsing failed", ...) into a contract error. */
export function notAnOnnxModel(modelPath: string, cause: unknown): ModelContractError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ModelContractError(modelPath, `not a loadable ONNX model (onnxruntime: ${detail})`);
}

function describeShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(", ")}]`;
}

/** Checks names, element types and static dimensions that the session's metadata declares. */
export function checkSignature(session: ort.InferenceSession, modelPath: string): void {
  const input = session.inputMetadata.find((m) => m.name === INPUT_NAME);
  if (!input) {
    throw new ModelContractError(
      modelPath,
      `has no input named "${INPUT_NAME}" (inputs: ${session.inputNames.join(", ") || "none"})`,
    );
  }
  if (session.inputNames.length !== 1) {
    throw new ModelContractError(
      modelPath,
      `must have exactly one input ("${INPUT_NAME}"), has ${session.inputNames.join(", ")}`,
    );
  }
  for (const name of [FEATURES_OUTPUT, LOGITS_OUTPUT]) {
    if (!session.outputNames.includes(name)) {
      throw new ModelContractError(
        modelPath,
        `has no output named "${name}" (outputs: ${session.outputNames.join(", ") || "none"})`,
      );
    }
  }
  if (!input.isTensor || input.type !== "float32") {
    throw new ModelContractError(modelPath, `input "${INPUT_NAME}" must be a float32 tensor`);
  }
  const expected: ReadonlyArray<number | null> = [null, 1, INPUT_SIZE, INPUT_SIZE];
  const shape = input.shape;
  const matches =
    shape.length === 4 && expected.every((e, i) => e === null || typeof shape[i] !== "number" || shape[i] === e);
  if (!matches) {
    throw new ModelContractError(
      modelPath,
      `input "${INPUT_NAME}" has shape ${describeShape(shape)}, expected [N, 1, ${INPUT_SIZE}, ${INPUT_SIZE}]`,
    );
  }
  for (const [name, rank] of [
    [FEATURES_OUTPUT, 4],
    [LOGITS_OUTPUT, 2],
  ] as const) {
    const meta = session.outputMetadata.find((m) => m.name === name);
    if (meta && (!meta.isTensor || meta.type !== "float32"))
      throw new ModelContractError(modelPath, `output "${name}" must be a float32 tensor`);
    if (meta?.isTensor && meta.shape.length !== rank) {
      throw new ModelContractError(
        modelPath,
        `output "${name}" has shape ${describeShape(meta.shape)}, expected rank ${rank}`,
      );
    }
  }
}

/** The contract's input tensor for `n` preprocessed planes laid end to end. */
export function inputTensor(planes: Float32Array, n: number): ort.Tensor {
  if (planes.length !== n * INPUT_PLANE)
    throw new RangeError(`expected ${n} x ${INPUT_PLANE} values, got ${planes.length}`);
  return new ort.Tensor("float32", planes, [n, 1, INPUT_SIZE, INPUT_SIZE]);
}

/** Raw outputs of one run over `n` images. */
export type ContractOutputs = {
  features: Float32Array;
  logits: Float32Array;
  shape: ContractShape;
};

/** Reads and shape-checks both outputs of a run over `n` images. */
export function readOutputs(
  results: ort.InferenceSession.OnnxValueMapType,
  n: number,
  modelPath: string,
): ContractOutputs {
  const features = results[FEATURES_OUTPUT];
  const logits = results[LOGITS_OUTPUT];
  if (!features || !logits)
    throw new ModelContractError(modelPath, `run returned no "${FEATURES_OUTPUT}" or "${LOGITS_OUTPUT}"`);
  const fd = features.dims;
  const ld = logits.dims;
  if (fd.length !== 4 || fd[0] !== n) {
    throw new ModelContractError(
      modelPath,
      `output "${FEATURES_OUTPUT}" has shape ${describeShape(fd)}, expected [${n}, C, h, w]`,
    );
  }
  if (ld.length !== 2 || ld[0] !== n) {
    throw new ModelContractError(
      modelPath,
      `output "${LOGITS_OUTPUT}" has shape ${describeShape(ld)}, expected [${n}, K]`,
    );
  }
  if (!(features.data instanceof Float32Array) || !(logits.data instanceof Float32Array)) {
    throw new ModelContractError(modelPath, "outputs must be float32");
  }
  const [, featureChannels = 0, featureHeight = 0, featureWidth = 0] = fd;
  const [, numClasses = 0] = ld;
  return {
    features: features.data,
    logits: logits.data,
    shape: { featureChannels, featureHeight, featureWidth, numClasses },
  };
}

/** Channel means of image `index`'s feature maps (global average pooling). */
export function poolFeatures(features: Float32Array, shape: ContractShape, index: number): Float32Array {
  const plane = shape.featureHeight * shape.featureWidth;
  const pooled = new Float32Array(shape.featureChannels);
  const base = index * shape.featureChannels * plane;
  for (let k = 0; k < shape.featureChannels; k++) {
    let acc = 0;
    const offset = base + k * plane;
    for (let i = 0; i < plane; i++) acc += features[offset + i] ?? 0;
    pooled[k] = acc / plane;
  }
  return pooled;
}

/** A deterministic, non-trivial probe image: smooth gradients plus a checker pattern. */
function probePlanes(n: number): Float32Array {
  const out = new Float32Array(n * INPUT_PLANE);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < INPUT_SIZE; y++) {
      for (let x = 0; x < INPUT_SIZE; x++) {
        const checker = ((x >> (3 + b)) + (y >> 4)) % 2;
        out[b * INPUT_PLANE + y * INPUT_SIZE + x] = 0.25 + 0.25 * Math.sin((x + 2 * y + 40 * b) / 23) + 0.3 * checker;
      }
    }
  }
  return out;
}

/**
 * Runs a probe batch of 2 and checks what the metadata cannot: the batch axis, the output shapes,
 * the head's class count and channel count, and that `logits` really are the head applied to the
 * pooled `features` (otherwise the CAM of this model would explain something else).
 */
export async function probeContract(
  session: ort.InferenceSession,
  head: LinearHead,
  modelPath: string,
): Promise<ContractShape> {
  const n = 2;
  let results: ort.InferenceSession.OnnxValueMapType;
  try {
    results = await session.run({ [INPUT_NAME]: inputTensor(probePlanes(n), n) });
  } catch (error) {
    throw new ModelContractError(
      modelPath,
      `fails on a [2, 1, 256, 256] input: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const outputs = readOutputs(results, n, modelPath);
  const { shape } = outputs;
  if (shape.numClasses !== head.classes.length) {
    throw new ModelContractError(
      modelPath,
      `"${LOGITS_OUTPUT}" has ${shape.numClasses} classes, the model card names ${head.classes.length}`,
    );
  }
  const headWidth = head.weights[0]?.length ?? 0;
  if (shape.featureChannels !== headWidth) {
    throw new ModelContractError(
      modelPath,
      `"${FEATURES_OUTPUT}" has ${shape.featureChannels} channels, the card's head expects ${headWidth}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const expected = applyHead(head, poolFeatures(outputs.features, shape, i));
    for (let c = 0; c < shape.numClasses; c++) {
      const actual = outputs.logits[i * shape.numClasses + c] ?? NaN;
      const want = expected[c] ?? NaN;
      if (!(Math.abs(actual - want) <= 1e-3 * Math.max(1, Math.abs(want)))) {
        throw new ModelContractError(
          modelPath,
          `"${LOGITS_OUTPUT}" are not the card's linear head applied to the pooled "${FEATURES_OUTPUT}" (class ${c}: ${actual} vs ${want}); CAM would not explain this model`,
        );
      }
    }
  }
  return shape;
}
