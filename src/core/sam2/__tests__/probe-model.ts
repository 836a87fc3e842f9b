/**
 * The SAM 2 probe pair (training/sam2_probe.py, tests/fixtures/sam2/README.md) in TypeScript, from
 * the same formulas, so that core tests run the automatic mask generator without ONNX Runtime:
 * the encoder part is reduced to what the decoder reads (the sign of one 16 x 16 cell mean of the
 * normalised grey image in the 1024 frame), the decoder is written op for op in float32.
 */
import { SAM2_FRAME_SIDE } from "../point-grid";
import type { Sam2DecoderOutput, Sam2PromptBatch } from "../automatic-mask-generator";

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const EMBED_SIDE = 64;
const CELL = SAM2_FRAME_SIDE / EMBED_SIDE;
const TILE = 128;
const LOW_RES = 256;
const BRIGHT = { radius: [10, 14, 22], slope: [10, 2, 10], iou: [0.92, 0.95, 0.88] };
const DARK = { radius: [6, 30, 26], slope: [10, 1, 10], iou: [0.75, 0.975, 0.791] };
const IOU_GAIN_X = 0.02;
const IOU_GAIN_Y = 0.0005;
const LOGIT_CLAMP = 32;

/** The test images of scripts/reference/sam2_amg_probe.py: grey 30 with hard-edged discs of grey 220. */
export function drawDiscs(width: number, height: number, discs: readonly (readonly number[])[]): Uint8Array {
  const grey = new Uint8Array(width * height).fill(30);
  for (const [cx, cy, r] of discs) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((x + 0.5 - cx!) ** 2 + (y + 0.5 - cy!) ** 2 <= r! * r!) grey[y * width + x] = 220;
      }
    }
  }
  return grey;
}

/**
 * image_embed channel 0 of the probe encoder: mean normalised grey per 16 x 16 frame cell, the grey
 * image resized to 1024 x 1024 by nearest neighbour (the fixture script checks that the sign of
 * every cell the grid reads is the same under bilinear, bicubic, Lanczos and nearest resizing).
 */
export function probeImageEmbed(grey: Uint8Array, width: number, height: number): Float32Array {
  const normalised = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    normalised[v] =
      ((v / 255 - MEAN[0]!) / STD[0]! + (v / 255 - MEAN[1]!) / STD[1]! + (v / 255 - MEAN[2]!) / STD[2]!) / 3;
  }
  const embed = new Float32Array(EMBED_SIDE * EMBED_SIDE);
  for (let fy = 0; fy < SAM2_FRAME_SIDE; fy++) {
    const sy = Math.min(height - 1, Math.floor(((fy + 0.5) * height) / SAM2_FRAME_SIDE));
    for (let fx = 0; fx < SAM2_FRAME_SIDE; fx++) {
      const sx = Math.min(width - 1, Math.floor(((fx + 0.5) * width) / SAM2_FRAME_SIDE));
      embed[Math.floor(fy / CELL) * EMBED_SIDE + Math.floor(fx / CELL)]! += normalised[grey[sy * width + sx]!]!;
    }
  }
  for (let i = 0; i < embed.length; i++) embed[i] = embed[i]! / (CELL * CELL);
  return embed;
}

/** Mask planes depend only on (tile, bright or dark, k): computed once each. */
const planeCache = new Map<string, Float32Array>();

function discPlane(centreX: number, centreY: number, radius: number, slope: number): Float32Array {
  const key = `${centreX},${centreY},${radius},${slope}`;
  const cached = planeCache.get(key);
  if (cached) return cached;
  const f = Math.fround;
  const plane = new Float32Array(LOW_RES * LOW_RES);
  for (let j = 0; j < LOW_RES; j++) {
    const dy = f(j - centreY);
    const dy2 = f(dy * dy);
    for (let i = 0; i < LOW_RES; i++) {
      const dx = f(i - centreX);
      const distance = f(Math.sqrt(f(f(dx * dx) + dy2)));
      const logit = f(slope * f(radius - distance));
      plane[j * LOW_RES + i] = Math.min(LOGIT_CLAMP, Math.max(-LOGIT_CLAMP, logit));
    }
  }
  planeCache.set(key, plane);
  return plane;
}

/** The probe decoder for single-point positive prompts (what the automatic generator sends). */
export function probeDecode(imageEmbed: Float32Array, batch: Sam2PromptBatch): Sam2DecoderOutput {
  const f = Math.fround;
  const masks = new Float32Array(batch.count * 3 * LOW_RES * LOW_RES);
  const iouPredictions = new Float32Array(batch.count * 3);
  for (let b = 0; b < batch.count; b++) {
    if (batch.pointLabels[b] !== 1) throw new RangeError("the test decoder takes one positive point per prompt");
    const ax = batch.pointCoords[2 * b]!;
    const ay = batch.pointCoords[2 * b + 1]!;
    const cellX = Math.min(EMBED_SIDE - 1, Math.max(0, Math.floor(ax / CELL)));
    const cellY = Math.min(EMBED_SIDE - 1, Math.max(0, Math.floor(ay / CELL)));
    const table = imageEmbed[cellY * EMBED_SIDE + cellX]! > 0 ? BRIGHT : DARK;
    const centreX = ((Math.floor(ax / TILE) + 0.5) * TILE - 2) / 4;
    const centreY = ((Math.floor(ay / TILE) + 0.5) * TILE - 2) / 4;
    const gain = f(f(f(IOU_GAIN_X) * ax) / SAM2_FRAME_SIDE);
    const gainY = f(f(f(IOU_GAIN_Y) * ay) / SAM2_FRAME_SIDE);
    for (let k = 0; k < 3; k++) {
      iouPredictions[3 * b + k] = f(f(f(table.iou[k]!) + gain) + gainY);
      const plane = discPlane(centreX, centreY, table.radius[k]!, table.slope[k]!);
      masks.set(plane, (3 * b + k) * LOW_RES * LOW_RES);
    }
  }
  return { masks, iouPredictions };
}
