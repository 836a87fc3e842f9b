import { assertMask } from "./skeleton";

/**
 * Branch statistics of a skeleton (a one-pixel-wide mask, e.g. from {@link skeletonize}), in the
 * spirit of the `skan` package's `summarize` / `branch_statistics`.
 *
 * Definitions:
 * - Adjacency: 8-connectivity, thinned to m-adjacency (mixed adjacency): a diagonal neighbour is
 *   not a neighbour when an orthogonal neighbour touches both pixels. This keeps every 8-connected
 *   path but stops staircase corners, which Zhang-Suen skeletons often keep, from counting as
 *   3-way junctions. With a label map, only pixels with the same (non-zero) label are neighbours.
 * - Degree: the number of neighbours. End point: degree 1. Junction pixel: degree >= 3; junction
 *   pixels adjacent to each other (8-connectivity, same label) form one junction. Isolated pixel:
 *   degree 0, reported apart, and neither an end point nor a branch.
 * - Branch: a path from a node (end point or junction) through degree-2 pixels to a node, or a
 *   closed loop of degree-2 pixels with no node (a cycle). Its length is the sum of its steps,
 *   1 for an orthogonal step and sqrt(2) for a diagonal one, from the centre of the first node
 *   pixel it leaves to the centre of the node pixel it enters. Steps inside a junction are not
 *   counted. Kinds as in skan's `branch-type`: 0 end-end, 1 junction-end, 2 junction-junction,
 *   3 cycle.
 *   A path of a single degree-2 pixel that leaves a junction and re-enters the same junction
 *   belongs to a thick junction and is not a branch.
 * - Total length: the sum of branch lengths; longest branch: the largest branch length.
 *
 * Differences from skan (0.11): skan joins all 8-neighbours (its junction counts include staircase
 * corners unless pruned), measures branches between pixel centres including the pixels inside
 * junction clusters, and counts an isolated pixel as a zero-length branch; we do none of these.
 * Lengths are in pixels; units are applied elsewhere.
 */

/** Options of {@link skeletonGraph}. */
export type SkeletonGraphOptions = {
  /**
   * Label map (same size as the skeleton, 0 = background). When given, statistics are reported
   * per label and pixels of different labels are never neighbours; skeleton pixels on label 0 are
   * ignored.
   * @default undefined (the whole skeleton is one object)
   */
  labels?: Int32Array | Uint32Array | Uint16Array | Uint8Array;
};

/** Graph statistics of one object (or of the whole skeleton). */
export type SkeletonStats = {
  branchCount: number;
  junctionCount: number;
  endPointCount: number;
  isolatedPixelCount: number;
  /** Sum of branch lengths, px. */
  totalLength: number;
  /** Longest branch, px; 0 when there is no branch. */
  longestBranch: number;
};

/** One branch of the skeleton graph. */
export type SkeletonBranch = {
  /** Label of the branch's pixels (1 without a label map). */
  label: number;
  /** 0 end-end, 1 junction-end, 2 junction-junction, 3 cycle (skan's branch-type). */
  kind: 0 | 1 | 2 | 3;
  /** Length in px (1 per orthogonal step, sqrt(2) per diagonal step). */
  length: number;
};

/** Result of {@link skeletonGraph}. */
export type SkeletonGraph = {
  /** Statistics over the whole skeleton (sums; longest branch is the maximum). */
  total: SkeletonStats;
  /** Per label 1..max label (index i holds label i + 1); empty without a label map. */
  objects: (SkeletonStats & { label: number })[];
  branches: SkeletonBranch[];
};

const SQRT2 = Math.SQRT2;

function emptyStats(): SkeletonStats {
  return {
    branchCount: 0,
    junctionCount: 0,
    endPointCount: 0,
    isolatedPixelCount: 0,
    totalLength: 0,
    longestBranch: 0,
  };
}

/** End points, junctions and branches of a skeleton; see the module comment for the definitions. */
export function skeletonGraph(
  skeleton: Uint8Array,
  width: number,
  height: number,
  options: SkeletonGraphOptions = {},
): SkeletonGraph {
  assertMask(skeleton, width, height);
  const { labels } = options;
  if (labels !== undefined && labels.length !== skeleton.length) {
    throw new RangeError(`label map has ${labels.length} pixels, expected ${width} x ${height}`);
  }
  const size = width * height;
  // lab[p] = object id (0 = not a skeleton pixel).
  const lab = new Uint32Array(size);
  let maxLabel = 0;
  for (let p = 0; p < size; p++) {
    if (skeleton[p] === 0) continue;
    const l = labels === undefined ? 1 : labels[p]!;
    if (l < 0 || !Number.isInteger(l)) throw new RangeError(`labels must be non-negative integers, got ${l}`);
    lab[p] = l;
    if (l > maxLabel) maxLabel = l;
  }

  const nb = new Int32Array(8);
  const nbDiag = new Uint8Array(8);
  /** Fills nb with the m-neighbours of p and returns their count. */
  const neighbours = (p: number): number => {
    const l = lab[p]!;
    const y = (p / width) | 0;
    const x = p - y * width;
    const up = y > 0;
    const down = y < height - 1;
    const left = x > 0;
    const right = x < width - 1;
    const n = up && lab[p - width] === l;
    const s = down && lab[p + width] === l;
    const w = left && lab[p - 1] === l;
    const e = right && lab[p + 1] === l;
    const put = (k: number, q: number, diag: number): number => {
      nb[k] = q;
      nbDiag[k] = diag;
      return k + 1;
    };
    let k = 0;
    if (n) k = put(k, p - width, 0);
    if (s) k = put(k, p + width, 0);
    if (w) k = put(k, p - 1, 0);
    if (e) k = put(k, p + 1, 0);
    if (up && left && !n && !w && lab[p - width - 1] === l) k = put(k, p - width - 1, 1);
    if (up && right && !n && !e && lab[p - width + 1] === l) k = put(k, p - width + 1, 1);
    if (down && left && !s && !w && lab[p + width - 1] === l) k = put(k, p + width - 1, 1);
    if (down && right && !s && !e && lab[p + width + 1] === l) k = put(k, p + width + 1, 1);
    return k;
  };
  /** Fills nb with the neighbours of cur; returns the index of the first that is not prev, or -1. */
  const step = (cur: number, prev: number): number => {
    const k = neighbours(cur);
    for (let j = 0; j < k; j++) if (nb[j] !== prev) return j;
    return -1;
  };

  const stats: SkeletonStats[] = [];
  for (let l = 0; l <= maxLabel; l++) stats.push(emptyStats());

  // Degrees; node ids: end points and junction clusters (-1 = not a node).
  const degree = new Uint8Array(size);
  const nodeId = new Int32Array(size).fill(-1);
  const isJunction = new Uint8Array(size);
  let nodes = 0;
  for (let p = 0; p < size; p++) {
    if (lab[p] === 0) continue;
    const d = neighbours(p);
    degree[p] = d;
    if (d === 0) stats[lab[p]!]!.isolatedPixelCount++;
    else if (d === 1) {
      nodeId[p] = nodes++;
      stats[lab[p]!]!.endPointCount++;
    } else if (d >= 3) isJunction[p] = 1;
  }
  // Cluster junction pixels (8-connectivity, same label) with an explicit stack.
  let stack = new Int32Array(64);
  for (let p = 0; p < size; p++) {
    if (isJunction[p] === 0 || nodeId[p] !== -1) continue;
    const id = nodes++;
    const l = lab[p]!;
    stats[l]!.junctionCount++;
    let top = 0;
    stack[top++] = p;
    nodeId[p] = id;
    while (top > 0) {
      const q = stack[--top]!;
      const y = (q / width) | 0;
      const x = q - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const r = yy * width + xx;
          if (isJunction[r] === 1 && nodeId[r] === -1 && lab[r] === l) {
            nodeId[r] = id;
            if (top === stack.length) {
              const grown = new Int32Array(stack.length * 2);
              grown.set(stack);
              stack = grown;
            }
            stack[top++] = r;
          }
        }
      }
    }
  }

  const branches: SkeletonBranch[] = [];
  const visited = new Uint8Array(size);
  const addBranch = (l: number, kind: 0 | 1 | 2 | 3, length: number): void => {
    branches.push({ label: l, kind, length });
    const s = stats[l]!;
    s.branchCount++;
    s.totalLength += length;
    if (length > s.longestBranch) s.longestBranch = length;
  };
  const starts = new Int32Array(8);
  const startDiag = new Uint8Array(8);
  for (let p = 0; p < size; p++) {
    if (nodeId[p] === -1) continue;
    const l = lab[p]!;
    const k = neighbours(p);
    starts.set(nb.subarray(0, k));
    startDiag.set(nbDiag.subarray(0, k));
    const startIsJunction = isJunction[p] === 1;
    for (let i = 0; i < k; i++) {
      const q = starts[i]!;
      if (nodeId[q] === nodeId[p]) continue; // inside the same junction
      let length = startDiag[i] === 1 ? SQRT2 : 1;
      if (nodeId[q] !== -1) {
        // Node next to node: count the step once.
        if (q > p) addBranch(l, kindOf(startIsJunction, isJunction[q] === 1), length);
        continue;
      }
      if (visited[q] === 1) continue;
      visited[q] = 1;
      let prev = p;
      let cur = q;
      for (;;) {
        const j = step(cur, prev);
        // Degree-2 pixels always have a next; a missing one cannot happen but ends the walk safely.
        if (j === -1) break;
        const next = nb[j]!;
        length += nbDiag[j] === 1 ? SQRT2 : 1;
        if (nodeId[next] !== -1) {
          // A single pixel leading from a junction back into the same junction is part of a
          // thick junction, not a loop.
          const spur = nodeId[next] === nodeId[p] && cur === q;
          if (!spur) addBranch(l, kindOf(startIsJunction, isJunction[next] === 1), length);
          break;
        }
        visited[next] = 1;
        prev = cur;
        cur = next;
      }
    }
  }
  // Cycles: degree-2 pixels not reached from any node.
  for (let p = 0; p < size; p++) {
    if (degree[p] !== 2 || visited[p] === 1 || nodeId[p] !== -1) continue;
    visited[p] = 1;
    let length = 0;
    let prev = -1;
    let cur = p;
    for (;;) {
      const j = step(cur, prev);
      if (j === -1) break;
      const next = nb[j]!;
      length += nbDiag[j] === 1 ? SQRT2 : 1;
      if (next === p) break;
      visited[next] = 1;
      prev = cur;
      cur = next;
    }
    addBranch(lab[p]!, 3, length);
  }

  const total = emptyStats();
  for (let l = 1; l <= maxLabel; l++) {
    const s = stats[l]!;
    total.branchCount += s.branchCount;
    total.junctionCount += s.junctionCount;
    total.endPointCount += s.endPointCount;
    total.isolatedPixelCount += s.isolatedPixelCount;
    total.totalLength += s.totalLength;
    if (s.longestBranch > total.longestBranch) total.longestBranch = s.longestBranch;
  }
  const objects: (SkeletonStats & { label: number })[] = [];
  if (labels !== undefined) for (let l = 1; l <= maxLabel; l++) objects.push({ label: l, ...stats[l]! });
  return { total, objects, branches };
}

function kindOf(aJunction: boolean, bJunction: boolean): 0 | 1 | 2 {
  if (aJunction && bJunction) return 2;
  if (aJunction || bJunction) return 1;
  return 0;
}
