/**
 * Box non-maximum suppression as torchvision.ops.batched_nms with one category (what SAM 2's
 * automatic mask generator calls): boxes in descending score order (ties keep input order, like
 * torch's stable sort), each kept unless its IoU with an already kept box exceeds the threshold.
 * IoU is torchvision's, in float32: areas (x1 - x0) * (y1 - y0) with no +1, and
 * inter / (area_i + area_j - inter), so two empty boxes have IoU 0/0 (NaN) and never suppress.
 */

/**
 * Indices of the kept boxes, highest score first. `boxes` holds XYXY quadruples, `scores` one
 * value per box.
 */
export function boxNms(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number): number[] {
  const count = scores.length;
  if (boxes.length !== 4 * count) throw new RangeError("boxes must hold 4 values per score");
  const f = Math.fround;
  const order = Array.from({ length: count }, (_, i) => i);
  const score = Float32Array.from(scores);
  order.sort((i, j) => score[j]! - score[i]! || i - j);
  const x0 = new Float32Array(count);
  const y0 = new Float32Array(count);
  const x1 = new Float32Array(count);
  const y1 = new Float32Array(count);
  const areas = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    x0[i] = boxes[4 * i]!;
    y0[i] = boxes[4 * i + 1]!;
    x1[i] = boxes[4 * i + 2]!;
    y1[i] = boxes[4 * i + 3]!;
    areas[i] = f(x1[i]! - x0[i]!) * f(y1[i]! - y0[i]!);
  }
  const suppressed = new Uint8Array(count);
  const keep: number[] = [];
  for (let a = 0; a < count; a++) {
    const i = order[a]!;
    if (suppressed[i]) continue;
    keep.push(i);
    for (let b = a + 1; b < count; b++) {
      const j = order[b]!;
      if (suppressed[j]) continue;
      const w = Math.max(0, f(Math.min(x1[i]!, x1[j]!) - Math.max(x0[i]!, x0[j]!)));
      const h = Math.max(0, f(Math.min(y1[i]!, y1[j]!) - Math.max(y0[i]!, y0[j]!)));
      const inter = f(w * h);
      const overlap = f(inter / f(f(areas[i]! + areas[j]!) - inter));
      if (overlap > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}
