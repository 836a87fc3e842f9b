import { assertConnectivity, assertPlane, findRuns, type Connectivity, type Runs } from "./label-components";

/** Options of {@link watershed}. */
export type WatershedOptions = {
  /** 0/1 mask: only pixels with a non-zero byte are flooded; markers outside it are dropped. */
  mask?: Uint8Array;
  /**
   * Adjacency used for flooding: 4 is skimage's default `connectivity=1`, 8 is `connectivity=2`.
   * @default 4
   */
  connectivity?: Connectivity;
};

/** What both floods work on (validated by {@link watershed}). */
type Flood = {
  elevation: Float64Array;
  markers: Int32Array;
  width: number;
  height: number;
  mask: Uint8Array | undefined;
  eight: boolean;
};

/**
 * Marker-controlled watershed by priority flood, as skimage.segmentation.watershed (0.19, no
 * compactness, no watershed line) does it: every marker pixel enters the queue; the queue releases
 * the pixel with the lowest elevation, ties going to the pixel that entered first; each unlabelled
 * in-mask neighbour of the released pixel (visited in skimage's order: up, left, right, down, then
 * for 8-connectivity up-left, up-right, down-left, down-right) takes its label at once and enters
 * the queue with its own elevation. Pixels that no marker reaches stay 0.
 *
 * What matches skimage exactly: the (elevation, entry order) priority and the neighbour order, so
 * every tie between non-marker pixels is resolved as skimage resolves it. What does not: skimage
 * gives all markers the same entry age, so markers of equal elevation leave its binary heap in an
 * order set by the heap's shape; here they leave in raster order. Only pixels where two floods of
 * equal elevation meet can differ (see the tests for the measured agreement).
 *
 * The queue is a hierarchical queue: one FIFO bucket per distinct elevation, so the cost per pixel
 * does not grow with the number of queued pixels. The distinct elevations inside the mask are found
 * and sorted once (a negated distance transform has few: one per squared distance); up to
 * {@link MAX_LEVELS} of them, each pixel's bucket is its elevation's rank and a bitset finds the
 * lowest non-empty bucket. With more, buckets are found by hashing the float and kept in a binary
 * heap. Both give the same order. Elevations must not be NaN inside the mask.
 *
 * @param elevation Height map, e.g. the negated distance transform.
 * @param markers Non-zero values are seeds and their labels.
 * @returns A new label map: markers' labels spread over their basins, 0 elsewhere.
 */
export function watershed(
  elevation: Float64Array,
  markers: Int32Array,
  width: number,
  height: number,
  options: WatershedOptions = {},
): Int32Array {
  assertPlane(elevation.length, width, height, "elevation");
  assertPlane(markers.length, width, height, "markers");
  const { mask } = options;
  if (mask !== undefined) assertPlane(mask.length, width, height, "mask");
  const connectivity = options.connectivity ?? 4;
  assertConnectivity(connectivity);
  const n = elevation.length;
  const eight = connectivity === 8;
  // The pixels inside the mask, as runs grouped into connected components; without a mask, one
  // run over the whole image (only start, end and root are used).
  const runs: Runs =
    mask === undefined
      ? {
          count: 1,
          start: Int32Array.of(0),
          end: Int32Array.of(n),
          rowStart: Int32Array.of(0, 1),
          root: Int32Array.of(0),
        }
      : findRuns(mask, width, height, eight ? 8 : 4);
  const levels = rankLevels(elevation, runs);
  // NaN is an error where a flood reaches it; the global flood finds the same first one as before.
  const flood: Flood = { elevation, markers, width, height, mask, eight };
  if (levels === null || levels.nan) return floodHashed(flood);
  return floodRanked(flood, levels, runs);
}

/** Above this many distinct elevations, {@link watershed} hashes floats instead of ranking them. */
export const MAX_LEVELS = 1 << 16;
/** Largest squared elevation looked up directly, without hashing (see {@link Levels}). */
const DIRECT_LIMIT = 1 << 20;

/**
 * Rank (0 = lowest) of every distinct elevation, found by a table lookup. An elevation v is looked
 * up at index round(v * v) when that is below the table's size and the entry holds v itself (the
 * elevations of a distance transform, +-sqrt of integers, all land there without collisions);
 * every other value, and a colliding one, goes to an open-addressing hash on its bits.
 */
type Levels = {
  count: number;
  /** Some pixel inside the mask is NaN (it has no rank). */
  nan: boolean;
  /** Direct table: value and rank + 1 (0 = empty) at index round(v * v). */
  directValue: Float64Array;
  directRank: Int32Array;
  /** Hash table: value and rank + 1 (0 = empty) at a slot from the value's bits. */
  hashValue: Float64Array;
  hashRank: Int32Array;
};

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function hashSlot(value: number, mask: number): number {
  f64[0] = value;
  return (Math.imul(u32[0]! ^ Math.imul(u32[1]!, 0x85ebca6b), 0x9e3779b1) >>> 7) & mask;
}

/**
 * Ranks the distinct non-NaN elevations of the pixels inside the mask, or returns null when there
 * are more than {@link MAX_LEVELS}.
 */
function rankLevels(elevation: Float64Array, runs: Runs): Levels | null {
  let directSize = 1 << 12;
  let directValue: Float64Array = new Float64Array(directSize);
  let directRank: Int32Array = new Int32Array(directSize); // here: id + 1, until the ranks are known
  let hashValue: Float64Array = new Float64Array(1024);
  let hashRank: Int32Array = new Int32Array(1024);
  let hashMask = 1023;
  let hashCount = 0;
  const values = new Float64Array(MAX_LEVELS);
  let count = 0;
  let nan = false;
  for (let j = 0; j < runs.count; j++) {
    for (let i = runs.start[j]!, runEnd = runs.end[j]!; i < runEnd; i++) {
      const v = elevation[i]!;
      const sq = v * v;
      if (sq < directSize) {
        const k = (sq + 0.5) | 0;
        const id = directRank[k]!;
        if (id !== 0 && directValue[k] === v) continue;
        if (id === 0) {
          if (count === MAX_LEVELS) return null;
          values[count] = v === 0 ? 0 : v;
          directValue[k] = v;
          directRank[k] = ++count;
          continue;
        }
      } else if (sq < DIRECT_LIMIT) {
        let size = directSize * 2;
        while (size <= sq) size *= 2;
        directValue = growF64(directValue, size);
        directRank = growI32(directRank, size);
        directSize = size;
        i--; // look it up again
        continue;
      }
      if (v !== v) {
        nan = true;
        continue;
      }
      const key = v === 0 ? 0 : v;
      let s = hashSlot(key, hashMask);
      for (;;) {
        const id = hashRank[s]!;
        if (id === 0) break;
        if (hashValue[s] === key) break;
        s = (s + 1) & hashMask;
      }
      if (hashRank[s] !== 0) continue;
      if (count === MAX_LEVELS) return null;
      values[count] = key;
      hashValue[s] = key;
      hashRank[s] = ++count;
      if (++hashCount * 2 > hashMask) {
        const oldValue = hashValue;
        const oldRank = hashRank;
        hashMask = hashMask * 2 + 1;
        hashValue = new Float64Array(hashMask + 1);
        hashRank = new Int32Array(hashMask + 1);
        for (let k = 0; k < oldRank.length; k++) {
          if (oldRank[k] === 0) continue;
          let t = hashSlot(oldValue[k]!, hashMask);
          while (hashRank[t] !== 0) t = (t + 1) & hashMask;
          hashValue[t] = oldValue[k]!;
          hashRank[t] = oldRank[k]!;
        }
      }
    }
  }
  // ids (first-seen order) -> ranks (value order); distinct non-NaN values, so no ties.
  const order = new Int32Array(count);
  for (let id = 0; id < count; id++) order[id] = id;
  order.sort((a, b) => (values[a]! < values[b]! ? -1 : 1));
  const rankOfId = new Int32Array(count + 1);
  for (let r = 0; r < count; r++) rankOfId[order[r]! + 1] = r + 1;
  for (let k = 0; k < directSize; k++) directRank[k] = rankOfId[directRank[k]!]!;
  for (let k = 0; k <= hashMask; k++) hashRank[k] = rankOfId[hashRank[k]!]!;
  return { count, nan, directValue, directRank, hashValue, hashRank };
}

/** Rank of `v` in `levels`, which must hold it. */
function rankOf(levels: Levels, v: number): number {
  const sq = v * v;
  const directValue = levels.directValue;
  if (sq < directValue.length) {
    const k = (sq + 0.5) | 0;
    const r = levels.directRank[k]!;
    if (r !== 0 && directValue[k] === v) return r - 1;
  }
  const key = v === 0 ? 0 : v;
  const hashValue = levels.hashValue;
  const mask = hashValue.length - 1;
  for (let s = hashSlot(key, mask); ; s = (s + 1) & mask) {
    if (hashValue[s] === key && levels.hashRank[s] !== 0) return levels.hashRank[s]! - 1;
  }
}

/**
 * The flood with one FIFO bucket per elevation rank and a bitset of the non-empty buckets to find
 * the lowest one.
 *
 * Floods never cross from one connected component of the mask to another, and within a component
 * the queue releases pixels in the same order whatever happens elsewhere, so each component is
 * flooded on its own, from its markers in raster order: this keeps the working set small.
 */
function floodRanked(flood: Flood, levels: Levels, runs: Runs): Int32Array {
  const { elevation, markers, width, height, mask, eight } = flood;
  const n = elevation.length;
  // The flood reads a pixel's label before it writes it: writing every page once, in order, is
  // cheaper than taking a read fault and then a write fault on each page of a fresh array.
  const out = new Int32Array(n).fill(0);

  // The markers inside the mask, grouped by component (in raster order of the components), in
  // raster order within each.
  const { start, end, root } = runs;
  const perRoot = new Int32Array(runs.count + 1);
  let count = 0;
  for (let j = 0; j < runs.count; j++) {
    for (let i = start[j]!, e = end[j]!; i < e; i++) {
      if (markers[i] !== 0) {
        perRoot[root[j]! + 1]!++;
        count++;
      }
    }
  }
  for (let j = 0; j < runs.count; j++) perRoot[j + 1]! += perRoot[j]!;
  const seeds = new Int32Array(count);
  for (let j = 0; j < runs.count; j++) {
    const r = root[j]!;
    for (let i = start[j]!, e = end[j]!; i < e; i++) if (markers[i] !== 0) seeds[perRoot[r]!++] = i;
  }
  // perRoot[r] is now the end of root r's seeds; the groups are the roots with seeds.
  const groupStart = new Int32Array(runs.count + 1);
  let groups = 0;
  let previous = 0;
  for (let j = 0; j < runs.count; j++) {
    if (root[j] !== j || perRoot[j] === previous) continue;
    groupStart[++groups] = perRoot[j]!;
    previous = perRoot[j]!;
  }

  const buckets = levels.count;
  const { directValue, directRank } = levels;
  const directSize = directValue.length;
  // Queue entries: pixel and next entry of the same bucket; reused by every group.
  let entryPixel: Int32Array = new Int32Array(1024);
  let entryNext: Int32Array = new Int32Array(1024);
  const head = new Int32Array(buckets).fill(-1); // first entry of each bucket
  const tail = new Int32Array(buckets);
  // Two-level bitset: bit r of `bits` = bucket r is non-empty; bit w of `summary` = word w is not 0.
  const bits = new Int32Array((buckets + 31) >>> 5);
  const summary = new Int32Array((bits.length + 31) >>> 5);

  // Same visiting order as skimage's raveled offsets sorted by distance: -W, -1, +1, +W, then
  // -W-1, -W+1, +W-1, +W+1.
  const offsets = Int32Array.of(-width, -1, 1, width, -width - 1, -width + 1, width - 1, width + 1);
  const dxs = Int32Array.of(0, -1, 1, 0, -1, 1, -1, 1);
  const dys = Int32Array.of(-1, 0, 0, 1, -1, -1, 1, 1);
  const degree = eight ? 8 : 4;
  const lastX = width - 1;
  const lastY = height - 1;
  const invWidth = 1 / width;

  for (let group = 0; group < groups; group++) {
    let cur = buckets; // lowest non-empty bucket, `buckets` when all are empty
    let used = 0;
    const from = groupStart[group]!;
    const to = groupStart[group + 1]!;
    if (to - from > entryPixel.length) {
      entryPixel = new Int32Array(2 * (to - from));
      entryNext = new Int32Array(2 * (to - from));
    }
    for (let k = from; k < to; k++) {
      const i = seeds[k]!;
      out[i] = markers[i]!;
      const r = rankOf(levels, elevation[i]!);
      const e = used++;
      entryPixel[e] = i;
      cur = appendToBucket(r, e, cur, head, tail, entryNext, bits, summary);
    }
    while (cur < buckets) {
      const first = head[cur]!;
      const p = entryPixel[first]!;
      const after = entryNext[first]!;
      head[cur] = after;
      if (after === -1) {
        // The bucket is empty. It was the lowest non-empty one, so every set bit is above it.
        const w = cur >>> 5;
        const word = (bits[w]! &= ~(1 << (cur & 31)));
        if (word !== 0) cur = (w << 5) + lowestBit(word);
        else {
          let s = w >>> 5;
          let sw = (summary[s]! &= ~(1 << (w & 31)));
          while (sw === 0 && ++s < summary.length) sw = summary[s]!;
          if (sw === 0) cur = buckets;
          else {
            const v = (s << 5) + lowestBit(sw);
            cur = (v << 5) + lowestBit(bits[v]!);
          }
        }
      }
      const label = out[p]!;
      const y = ((p + 0.5) * invWidth) | 0;
      const x = p - y * width;
      const inside = x > 0 && x < lastX && y > 0 && y < lastY;
      for (let k = 0; k < degree; k++) {
        if (!inside) {
          const xx = x + dxs[k]!;
          const yy = y + dys[k]!;
          if (xx < 0 || xx > lastX || yy < 0 || yy > lastY) continue;
        }
        const q = p + offsets[k]!;
        if (out[q] !== 0 || (mask !== undefined && mask[q] === 0)) continue;
        out[q] = label;
        // rankOf, with its direct lookup inlined.
        const v = elevation[q]!;
        const sq = v * v;
        let r = -1;
        if (sq < directSize) {
          const slot = (sq + 0.5) | 0;
          if (directValue[slot] === v) r = directRank[slot]! - 1;
        }
        if (r < 0) r = rankOf(levels, v);
        if (used === entryPixel.length) {
          entryPixel = growI32(entryPixel, used * 2);
          entryNext = growI32(entryNext, used * 2);
        }
        const e = used++;
        entryPixel[e] = q;
        cur = appendToBucket(r, e, cur, head, tail, entryNext, bits, summary);
      }
    }
  }
  return out;
}

/**
 * Appends queue entry `e` to bucket `r` (a linked list through `entryNext`, from `head[r]` to
 * `tail[r]`), marking the bucket non-empty in the two-level bitset when it was empty. Returns the
 * lowest non-empty bucket: `cur`, or `r` when that is lower.
 */
function appendToBucket(
  r: number,
  e: number,
  cur: number,
  head: Int32Array,
  tail: Int32Array,
  entryNext: Int32Array,
  bits: Int32Array,
  summary: Int32Array,
): number {
  entryNext[e] = -1;
  if (head[r] === -1) {
    head[r] = e;
    bits[r >>> 5]! |= 1 << (r & 31);
    summary[r >>> 10]! |= 1 << ((r >>> 5) & 31);
    if (r < cur) cur = r;
  } else entryNext[tail[r]!] = e;
  tail[r] = e;
  return cur;
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/** The flood with hashed elevation buckets and a heap of them, for images with many levels. */
function floodHashed(flood: Flood): Int32Array {
  const { elevation, markers, width, height, mask, eight } = flood;
  const n = elevation.length;
  const out = new Int32Array(n);
  const queue = new BucketQueue(n);

  for (let i = 0; i < n; i++) {
    const m = markers[i]!;
    if (m === 0 || (mask !== undefined && mask[i] === 0)) continue;
    out[i] = m;
    queue.push(i, checked(elevation[i]!, i));
  }

  const lastX = width - 1;
  const lastY = height - 1;
  while (!queue.empty()) {
    const p = queue.pop();
    const label = out[p]!;
    const x = p % width;
    const y = (p - x) / width;
    // Same visiting order as skimage's raveled offsets sorted by distance: -W, -1, +1, +W, then
    // -W-1, -W+1, +W-1, +W+1.
    for (let k = 0; k < (eight ? 8 : 4); k++) {
      let q: number;
      switch (k) {
        case 0:
          if (y === 0) continue;
          q = p - width;
          break;
        case 1:
          if (x === 0) continue;
          q = p - 1;
          break;
        case 2:
          if (x === lastX) continue;
          q = p + 1;
          break;
        case 3:
          if (y === lastY) continue;
          q = p + width;
          break;
        case 4:
          if (y === 0 || x === 0) continue;
          q = p - width - 1;
          break;
        case 5:
          if (y === 0 || x === lastX) continue;
          q = p - width + 1;
          break;
        case 6:
          if (y === lastY || x === 0) continue;
          q = p + width - 1;
          break;
        default:
          if (y === lastY || x === lastX) continue;
          q = p + width + 1;
      }
      if (out[q] !== 0 || (mask !== undefined && mask[q] === 0)) continue;
      out[q] = label;
      queue.push(q, checked(elevation[q]!, q));
    }
  }
  return out;
}

function checked(v: number, i: number): number {
  if (Number.isNaN(v)) throw new RangeError(`elevation is NaN at pixel ${i}`);
  return v === 0 ? 0 : v; // -0 and +0 are one level
}

/**
 * Priority queue of pixel indices by (value, entry order). Each pixel enters at most once, so the
 * FIFO of each bucket is a linked list through `next`.
 */
class BucketQueue {
  private readonly next: Int32Array;
  // Buckets, one per distinct value.
  private bucketValue: Float64Array = new Float64Array(256);
  private bucketHead: Int32Array = new Int32Array(256);
  private bucketTail: Int32Array = new Int32Array(256);
  private buckets = 0;
  // Binary min-heap of the non-empty buckets, keyed by bucketValue (distinct, so no ties).
  private heap: Int32Array = new Int32Array(256);
  private heapSize = 0;
  // Open-addressing hash: value -> bucket.
  private slots = new Int32Array(1024).fill(-1);
  private shift = 22; // 32 - log2(slots.length)
  private lastValue = NaN;
  private lastBucket = -1;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  constructor(pixels: number) {
    this.next = new Int32Array(pixels);
  }

  empty(): boolean {
    return this.heapSize === 0;
  }

  push(p: number, value: number): void {
    const b = this.bucketOf(value);
    this.next[p] = -1;
    if (this.bucketHead[b] === -1) {
      this.bucketHead[b] = p;
      this.bucketTail[b] = p;
      this.heapPush(b);
    } else {
      this.next[this.bucketTail[b]!] = p;
      this.bucketTail[b] = p;
    }
  }

  pop(): number {
    const b = this.heap[0]!;
    const p = this.bucketHead[b]!;
    const nx = this.next[p]!;
    this.bucketHead[b] = nx;
    if (nx === -1) this.heapPop();
    return p;
  }

  private hash(value: number): number {
    this.f64[0] = value;
    return Math.imul(this.u32[0]! ^ Math.imul(this.u32[1]!, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  private bucketOf(value: number): number {
    // Neighbouring pixels often share a level: skip the hash for a repeat of the last value.
    if (value === this.lastValue) return this.lastBucket;
    const b = this.lookup(value);
    this.lastValue = value;
    this.lastBucket = b;
    return b;
  }

  private lookup(value: number): number {
    const mask = this.slots.length - 1;
    for (let s = this.hash(value); ; s = (s + 1) & mask) {
      const b = this.slots[s]!;
      if (b === -1) return this.addBucket(value, s);
      if (this.bucketValue[b] === value) return b;
    }
  }

  private addBucket(value: number, slot: number): number {
    const b = this.buckets++;
    if (b === this.bucketValue.length) {
      const cap = b * 2;
      this.bucketValue = growF64(this.bucketValue, cap);
      this.bucketHead = growI32(this.bucketHead, cap);
      this.bucketTail = growI32(this.bucketTail, cap);
      this.heap = growI32(this.heap, cap);
    }
    this.bucketValue[b] = value;
    this.bucketHead[b] = -1;
    this.bucketTail[b] = -1;
    this.slots[slot] = b;
    if (this.buckets * 2 > this.slots.length) this.rehash();
    return b;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.shift--;
    const mask = this.slots.length - 1;
    for (let b = 0; b < this.buckets; b++) {
      let s = this.hash(this.bucketValue[b]!);
      while (this.slots[s] !== -1) s = (s + 1) & mask;
      this.slots[s] = b;
    }
  }

  private heapPush(b: number): void {
    const heap = this.heap;
    const key = this.bucketValue;
    const v = key[b]!;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pb = heap[parent]!;
      if (key[pb]! <= v) break;
      heap[i] = pb;
      i = parent;
    }
    heap[i] = b;
  }

  private heapPop(): void {
    const heap = this.heap;
    const key = this.bucketValue;
    const size = --this.heapSize;
    if (size === 0) return;
    const b = heap[size]!;
    const v = key[b]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && key[heap[c + 1]!]! < key[heap[c]!]!) c++;
      if (key[heap[c]!]! >= v) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = b;
  }
}

function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
