/**
 * A linear classification head over the globally average-pooled features:
 * logits = weights @ pooled + bias. The shipped model's own head (from its model card) and every
 * retrained head have this form, so prediction and CAM (ccc/cam.ts) always agree.
 */
import "server-only";
import { z } from "zod";

export type LinearHead = {
  classes: string[];
  /** One row per class, each with one weight per feature channel. */
  weights: Float32Array[];
  bias: Float32Array;
};

/** JSON form of a head (weights as nested arrays). */
export const linearHeadJsonSchema = z
  .object({
    classes: z.array(z.string().min(1)).min(2),
    weights: z.array(z.array(z.number().finite()).min(1)).min(2),
    bias: z.array(z.number().finite()).min(2),
  })
  .superRefine((head, ctx) => {
    const k = head.classes.length;
    if (head.weights.length !== k)
      ctx.addIssue({
        code: "custom",
        message: `weights has ${head.weights.length} rows for ${k} classes`,
        path: ["weights"],
      });
    if (head.bias.length !== k)
      ctx.addIssue({
        code: "custom",
        message: `bias has ${head.bias.length} values for ${k} classes`,
        path: ["bias"],
      });
    const c = head.weights[0]?.length ?? 0;
    head.weights.forEach((row, i) => {
      if (row.length !== c)
        ctx.addIssue({
          code: "custom",
          message: `weights row ${i} has ${row.length} values, row 0 has ${c}`,
          path: ["weights", i],
        });
    });
    if (new Set(head.classes).size !== k)
      ctx.addIssue({ code: "custom", message: "class names must be unique", path: ["classes"] });
  });
export type LinearHeadJson = z.infer<typeof linearHeadJsonSchema>;

export function headFromJson(json: LinearHeadJson): LinearHead {
  return {
    classes: [...json.classes],
    weights: json.weights.map((row) => Float32Array.from(row)),
    bias: Float32Array.from(json.bias),
  };
}

export function headToJson(head: LinearHead): LinearHeadJson {
  return {
    classes: [...head.classes],
    weights: head.weights.map((row) => Array.from(row)),
    bias: Array.from(head.bias),
  };
}

export function headChannels(head: LinearHead): number {
  return head.weights[0]?.length ?? 0;
}

/** Logits of one pooled feature vector. */
export function applyHead(head: LinearHead, pooled: ArrayLike<number>): Float64Array {
  const logits = new Float64Array(head.classes.length);
  for (let c = 0; c < head.classes.length; c++) {
    const row = head.weights[c];
    let acc = head.bias[c] ?? 0;
    if (row) for (let k = 0; k < row.length; k++) acc += (row[k] ?? 0) * (pooled[k] ?? 0);
    logits[c] = acc;
  }
  return logits;
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let peak = -Infinity;
  for (let i = 0; i < logits.length; i++) peak = Math.max(peak, logits[i] ?? -Infinity);
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] ?? 0) - peak);
    out[i] = e;
    total += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / total;
  return out;
}

export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}
