/**
 * THE one place that knows the ONNX contract of a SAM 2 / 2.1 model pair, the layout of the
 * common public export (samexporter):
 *
 *   encoder  image             float32 [1, 3, 1024, 1024]  RGB resized straight to 1024 x 1024,
 *                                                         /255, ImageNet mean/std (sam2-preprocess.ts)
 *            -> image_embed      float32 [1, 256, 64, 64]
 *            -> high_res_feats_0 float32 [1, 32, 256, 256]
 *            -> high_res_feats_1 float32 [1, 64, 128, 128]
 *   decoder  image_embed, high_res_feats_0, high_res_feats_1 (as above, batch 1)
 *            point_coords   float32 [B, N, 2]   pixels of the 1024 x 1024 frame
 *            point_labels   float32 [B, N]      1 positive, 0 negative, 2/3 box corners, -1 padding
 *            mask_input     float32 [B, 1, 256, 256]  a previous low-res mask's logits, or zeros
 *            has_mask_input float32 [B]         1 when mask_input holds one, else 0
 *            -> masks           float32 [B, 3, 256, 256]  logits (multimask output)
 *            -> iou_predictions float32 [B, 3]
 *
 * Checked when a model is installed or loaded: names, element types, ranks and every static
 * dimension the files declare, then a dry run of the encoder on a probe image and of the decoder
 * on the encoder's outputs (which also proves that the two files fit each other). A file that
 * breaks any of it is refused with a ModelContractError naming the file and what is wrong.
 */
import "server-only";
import * as ort from "onnxruntime-node";

import { ModelContractError } from "../onnx-contract";

/** Side of the square the encoder sees. */
export const SAM2_INPUT_SIZE = 1024;
/** Side of the decoder's low-resolution masks (and of mask_input). */
export const SAM2_LOW_RES_SIZE = 256;
/** Masks the decoder returns per prompt (multimask output). */
export const SAM2_MASKS_PER_PROMPT = 3;

export const SAM2_ENCODER_INPUT = "image";

/** The embedding the encoder produces and the decoder reads, with each tensor's dims. */
export const SAM2_EMBEDDING_TENSORS = {
  image_embed: [1, 256, 64, 64],
  high_res_feats_0: [1, 32, 256, 256],
  high_res_feats_1: [1, 64, 128, 128],
} as const;
export type Sam2EmbeddingTensorName = keyof typeof SAM2_EMBEDDING_TENSORS;
export const SAM2_EMBEDDING_TENSOR_NAMES = Object.keys(SAM2_EMBEDDING_TENSORS) as Sam2EmbeddingTensorName[];

/** Dims of the decoder's prompt inputs and outputs; "B" (prompts) and "N" (points) vary. */
const DECODER_PROMPT_INPUTS = {
  point_coords: ["B", "N", 2],
  point_labels: ["B", "N"],
  mask_input: ["B", 1, SAM2_LOW_RES_SIZE, SAM2_LOW_RES_SIZE],
  has_mask_input: ["B"],
} as const;
const DECODER_OUTPUTS = {
  masks: ["B", SAM2_MASKS_PER_PROMPT, SAM2_LOW_RES_SIZE, SAM2_LOW_RES_SIZE],
  iou_predictions: ["B", SAM2_MASKS_PER_PROMPT],
} as const;

/** Point labels of the contract. */
export const SAM2_POINT_LABEL = { negative: 0, positive: 1, boxTopLeft: 2, boxBottomRight: 3, padding: -1 } as const;

/** The three tensors of one image's embedding (float32, laid out as SAM2_EMBEDDING_TENSORS says). */
export type Sam2Embedding = Record<Sam2EmbeddingTensorName, Float32Array>;

/** The decoder's inputs for B prompts of N points each (points in the 1024 frame). */
export type Sam2DecoderPrompts = {
  count: number;
  pointsPerPrompt: number;
  /** B x N x 2, (x, y) in pixels of the 1024 x 1024 frame. */
  pointCoords: Float32Array;
  /** B x N. */
  pointLabels: Float32Array;
  /** B x 256 x 256 logits of previous masks; absent: zeros and has_mask_input 0. */
  maskInput?: Float32Array;
};

/** What the decoder returns for B prompts. */
export type Sam2DecoderOutputs = {
  /** B x 3 x 256 x 256 logits. */
  masks: Float32Array;
  /** B x 3. */
  iouPredictions: Float32Array;
};

type Dim = number | string;
type Expected = readonly (number | "B" | "N")[];

function describeShape(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}

function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * Checks one declared tensor: present, float32, of the expected rank, and equal to every fixed
 * dimension it declares statically (symbolic dimensions pass: the dry run checks them).
 */
function checkTensor(
  modelPath: string,
  kind: "input" | "output",
  meta: readonly ort.InferenceSession.ValueMetadata[],
  names: readonly string[],
  name: string,
  expected: Expected,
): void {
  const found = meta.find((m) => m.name === name);
  if (!found) {
    throw new ModelContractError(
      modelPath,
      `has no ${kind} named "${name}" (${kind}s: ${names.join(", ") || "none"}); the SAM 2 contract (samexporter layout) needs it`,
    );
  }
  if (!found.isTensor || found.type !== "float32") {
    const type = found.isTensor ? found.type : "not a tensor";
    throw new ModelContractError(modelPath, `${kind} "${name}" must be a float32 tensor, is ${type}`);
  }
  const shape = found.shape;
  const wrongRank = shape.length !== expected.length;
  const wrongDim = expected.some((e, i) => typeof e === "number" && typeof shape[i] === "number" && shape[i] !== e);
  if (wrongRank || wrongDim) {
    throw new ModelContractError(
      modelPath,
      `${kind} "${name}" has shape ${describeShape(shape)}, expected ${describeShape(expected)}`,
    );
  }
}

/** Refuses an encoder whose declared input or outputs break the contract. */
export function checkEncoderSignature(session: ort.InferenceSession, modelPath: string): void {
  checkTensor(modelPath, "input", session.inputMetadata, session.inputNames, SAM2_ENCODER_INPUT, [
    1,
    3,
    SAM2_INPUT_SIZE,
    SAM2_INPUT_SIZE,
  ]);
  if (session.inputNames.length !== 1) {
    throw new ModelContractError(
      modelPath,
      `an encoder has exactly one input ("${SAM2_ENCODER_INPUT}"), this one has ${session.inputNames.join(", ")}`,
    );
  }
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    checkTensor(modelPath, "output", session.outputMetadata, session.outputNames, name, SAM2_EMBEDDING_TENSORS[name]);
  }
}

/** Refuses a decoder whose declared inputs or outputs break the contract. */
export function checkDecoderSignature(session: ort.InferenceSession, modelPath: string): void {
  const inputs: [string, Expected][] = [
    ...SAM2_EMBEDDING_TENSOR_NAMES.map((name): [string, Expected] => [name, SAM2_EMBEDDING_TENSORS[name]]),
    ...Object.entries(DECODER_PROMPT_INPUTS),
  ];
  for (const [name, expected] of inputs) {
    checkTensor(modelPath, "input", session.inputMetadata, session.inputNames, name, expected);
  }
  const extra = session.inputNames.filter((name) => !inputs.some(([known]) => known === name));
  if (extra.length > 0) {
    throw new ModelContractError(
      modelPath,
      `has inputs the contract does not know: ${extra.join(", ")} (expected ${inputs.map(([n]) => n).join(", ")})`,
    );
  }
  for (const [name, expected] of Object.entries(DECODER_OUTPUTS)) {
    checkTensor(modelPath, "output", session.outputMetadata, session.outputNames, name, expected);
  }
}

/**
 * Refuses a pair whose decoder reads the embedding with other dims than the encoder declares it
 * writes (a decoder exported for another encoder). Checked before the decoder's own signature, so
 * that such a pair is named as not fitting; dims either file leaves symbolic are left to the dry run.
 */
export function checkPairSignature(
  encoder: ort.InferenceSession,
  decoder: ort.InferenceSession,
  paths: { encoder: string; decoder: string },
): void {
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    const produced = encoder.outputMetadata.find((m) => m.name === name);
    const read = decoder.inputMetadata.find((m) => m.name === name);
    if (!produced?.isTensor || !read?.isTensor) continue;
    const clash = produced.shape.some(
      (d, i) => typeof d === "number" && typeof read.shape[i] === "number" && read.shape[i] !== d,
    );
    if (clash) {
      throw new ModelContractError(
        paths.decoder,
        `does not fit the encoder ${paths.encoder}: it reads "${name}" as ${describeShape(read.shape)}, the encoder writes ${describeShape(produced.shape)} (the contract: ${describeShape(SAM2_EMBEDDING_TENSORS[name])})`,
      );
    }
  }
}

/** The encoder's input tensor for one preprocessed image (3 x 1024 x 1024 planes, CHW). */
export function encoderInput(planes: Float32Array): Record<string, ort.Tensor> {
  const expected = 3 * SAM2_INPUT_SIZE * SAM2_INPUT_SIZE;
  if (planes.length !== expected) throw new RangeError(`expected ${expected} values, got ${planes.length}`);
  return {
    [SAM2_ENCODER_INPUT]: new ort.Tensor("float32", planes, [1, 3, SAM2_INPUT_SIZE, SAM2_INPUT_SIZE]),
  };
}

function float32Output(
  results: ort.InferenceSession.OnnxValueMapType,
  name: string,
  dims: readonly number[],
  modelPath: string,
): Float32Array {
  const value = results[name];
  if (!value) throw new ModelContractError(modelPath, `run returned no "${name}"`);
  const same = value.dims.length === dims.length && value.dims.every((d, i) => d === dims[i]);
  if (!same) {
    throw new ModelContractError(
      modelPath,
      `output "${name}" came out as ${describeShape(value.dims)}, expected ${describeShape(dims)}`,
    );
  }
  if (!(value.data instanceof Float32Array)) throw new ModelContractError(modelPath, `output "${name}" is not float32`);
  return value.data;
}

/** Reads and shape-checks the encoder's three outputs. */
export function readEmbedding(results: ort.InferenceSession.OnnxValueMapType, modelPath: string): Sam2Embedding {
  const entries = SAM2_EMBEDDING_TENSOR_NAMES.map((name) => [
    name,
    float32Output(results, name, SAM2_EMBEDDING_TENSORS[name], modelPath),
  ]);
  return Object.fromEntries(entries) as Sam2Embedding;
}

/** Throws RangeError unless each tensor of `embedding` has its contract's length. */
export function assertEmbedding(embedding: Sam2Embedding): void {
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    const expected = sizeOf(SAM2_EMBEDDING_TENSORS[name]);
    const actual = embedding[name]?.length;
    if (actual !== expected) throw new RangeError(`embedding "${name}" has ${actual} values, expected ${expected}`);
  }
}

/**
 * The embedding's tensors, made once per embedding and reused for every decoder run (ort.Tensor
 * wraps the arrays without copying them).
 */
export function embeddingTensors(embedding: Sam2Embedding): Record<Sam2EmbeddingTensorName, ort.Tensor> {
  assertEmbedding(embedding);
  const tensors = SAM2_EMBEDDING_TENSOR_NAMES.map((name) => [
    name,
    new ort.Tensor("float32", embedding[name], [...SAM2_EMBEDDING_TENSORS[name]]),
  ]);
  return Object.fromEntries(tensors) as Record<Sam2EmbeddingTensorName, ort.Tensor>;
}

const LOW_RES_PLANE = SAM2_LOW_RES_SIZE * SAM2_LOW_RES_SIZE;

/**
 * The all-zero mask_input of B prompts, made once per B: the generator sends 16 batches of 64
 * prompts per image, and 16 MB of fresh zeros per batch cost more than our whole per-mask work.
 * ONNX Runtime only reads its inputs, so sharing them is safe.
 */
const zeroMaskInputs = new Map<number, Float32Array>();
function zeroMaskInput(count: number): Float32Array {
  let zeros = zeroMaskInputs.get(count);
  if (!zeros) {
    if (zeroMaskInputs.size >= 8) zeroMaskInputs.clear();
    zeros = new Float32Array(count * LOW_RES_PLANE);
    zeroMaskInputs.set(count, zeros);
  }
  return zeros;
}

/** The decoder's prompt inputs for B prompts (mask_input zeros and has_mask_input 0 without masks). */
export function decoderPromptInputs(prompts: Sam2DecoderPrompts): Record<string, ort.Tensor> {
  const { count: b, pointsPerPrompt: n } = prompts;
  if (!Number.isInteger(b) || b < 1 || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`prompts need B >= 1 and N >= 1, got B = ${b}, N = ${n}`);
  }
  if (prompts.pointCoords.length !== b * n * 2) throw new RangeError(`point_coords must hold ${b} x ${n} x 2 values`);
  if (prompts.pointLabels.length !== b * n) throw new RangeError(`point_labels must hold ${b} x ${n} values`);
  if (prompts.maskInput && prompts.maskInput.length !== b * LOW_RES_PLANE) {
    throw new RangeError(`mask_input must hold ${b} x ${SAM2_LOW_RES_SIZE} x ${SAM2_LOW_RES_SIZE} values`);
  }
  return {
    point_coords: new ort.Tensor("float32", prompts.pointCoords, [b, n, 2]),
    point_labels: new ort.Tensor("float32", prompts.pointLabels, [b, n]),
    mask_input: new ort.Tensor("float32", prompts.maskInput ?? zeroMaskInput(b), [
      b,
      1,
      SAM2_LOW_RES_SIZE,
      SAM2_LOW_RES_SIZE,
    ]),
    has_mask_input: new ort.Tensor("float32", new Float32Array(b).fill(prompts.maskInput ? 1 : 0), [b]),
  };
}

/** Reads and shape-checks the decoder's outputs for `count` prompts. */
export function readDecoderOutputs(
  results: ort.InferenceSession.OnnxValueMapType,
  count: number,
  modelPath: string,
): Sam2DecoderOutputs {
  return {
    masks: float32Output(
      results,
      "masks",
      [count, SAM2_MASKS_PER_PROMPT, SAM2_LOW_RES_SIZE, SAM2_LOW_RES_SIZE],
      modelPath,
    ),
    iouPredictions: float32Output(results, "iou_predictions", [count, SAM2_MASKS_PER_PROMPT], modelPath),
  };
}

/**
 * A deterministic probe image for the dry run (CHW planes in the encoder's normalised range):
 * smooth gradients plus a few bright discs, so any real encoder gives non-trivial features.
 */
export function probeEncoderInput(): Float32Array {
  const size = SAM2_INPUT_SIZE;
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const disc = ((x % 256) - 128) ** 2 + ((y % 256) - 128) ** 2 < 60 ** 2 ? 1.2 : 0;
      const base = 0.8 * Math.sin((x + 2 * y) / 97) + disc - 0.3;
      out[y * size + x] = base;
      out[plane + y * size + x] = base * 0.9;
      out[2 * plane + y * size + x] = base * 0.8;
    }
  }
  return out;
}

/** Two probe prompts: one positive point each, in different quadrants of the 1024 frame. */
export function probeDecoderPrompts(): Sam2DecoderPrompts {
  return {
    count: 2,
    pointsPerPrompt: 1,
    pointCoords: Float32Array.from([300, 300, 700, 650]),
    pointLabels: Float32Array.from([SAM2_POINT_LABEL.positive, SAM2_POINT_LABEL.positive]),
  };
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/**
 * The dry run: the encoder on the probe image, then the decoder on the encoder's outputs with two
 * prompts (B = 2 proves the prompt batch axis) and once more with a mask_input. Refuses a file
 * that fails, returns other shapes, or gives NaN or infinite values; a decoder that fails on the
 * encoder's outputs is refused as not fitting that encoder.
 */
export async function dryRunPair(
  encoder: ort.InferenceSession,
  decoder: ort.InferenceSession,
  paths: { encoder: string; decoder: string },
): Promise<{ encoderMs: number; decoderMs: number }> {
  const started = performance.now();
  let embedding: Sam2Embedding;
  try {
    embedding = readEmbedding(await encoder.run(encoderInput(probeEncoderInput())), paths.encoder);
  } catch (error) {
    if (error instanceof ModelContractError) throw error;
    throw new ModelContractError(
      paths.encoder,
      `fails on a [1, 3, 1024, 1024] input: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    if (!allFinite(embedding[name]))
      throw new ModelContractError(paths.encoder, `output "${name}" holds NaN or infinite values`);
  }
  const encoderMs = performance.now() - started;
  const tensors = embeddingTensors(embedding);
  const prompts = probeDecoderPrompts();
  const decodeStarted = performance.now();
  for (const withMask of [false, true]) {
    const inputs = {
      ...tensors,
      ...decoderPromptInputs(
        withMask ? { ...prompts, maskInput: new Float32Array(prompts.count * LOW_RES_PLANE).fill(-1) } : prompts,
      ),
    };
    let outputs: Sam2DecoderOutputs;
    try {
      outputs = readDecoderOutputs(await decoder.run(inputs), prompts.count, paths.decoder);
    } catch (error) {
      if (error instanceof ModelContractError) throw error;
      throw new ModelContractError(
        paths.decoder,
        `does not fit the encoder ${paths.encoder}: running it on the encoder's outputs with 2 prompts${withMask ? " and a mask_input" : ""} fails (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!allFinite(outputs.masks) || !allFinite(outputs.iouPredictions)) {
      throw new ModelContractError(
        paths.decoder,
        "gives NaN or infinite masks or IoU predictions on the encoder's outputs",
      );
    }
  }
  return { encoderMs, decoderMs: (performance.now() - decodeStarted) / 2 };
}
