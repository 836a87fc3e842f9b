/**
 * Step 5 of segmentObjects: the watershed split of touching objects, one connected component of
 * the filled mask at a time (the method, and why, is in segment-objects.ts).
 *
 * Working per component gives the same labels as running each step on the whole image, at a cost
 * that follows the components' area instead of the image's:
 * - The Euclidean distance map is computed for every component first (on its box widened by
 *   1 px, exact: see componentDistancesPart), into one image-sized plane: the smoothing of a
 *   component's map reads the distances of pixels up to 3 sigma away, which may belong to a
 *   neighbour, exactly as a whole-image smoothing does. Each component's crop keeps a margin of
 *   that radius (at least 1 px), so mirrored crop edges never reach the component's pixels.
 * - A component whose smoothed map has at most one pixel that is >= all its 8 neighbours has at
 *   most one h-maximum (every h-maximum plateau holds such a pixel: its highest one), so it is one
 *   basin, with no h-maxima reconstruction and no flood. On the bench images (bench/objects.bench.ts)
 *   most components are.
 * - h-maxima of a crop equal those of the whole image inside the component: the map is 0 outside
 *   the mask, so a reconstruction only crosses the background at level <= 0, and the background
 *   reaches 0 in both (from any component whose peak is >= h; one whose peak is < h has no
 *   h-maximum either way).
 * - The flood and the merge never cross the background, and a crop keeps the raster order of the
 *   pixels, so their ties resolve as on the whole image.
 * - A component smaller than minArea can only give objects smaller than minArea, which the filter
 *   drops: it is skipped.
 *
 * Labels are unique but not consecutive (each component reserves as many as it had markers);
 * filterObjects renumbers them.
 */
import { DistanceScratch, distanceTransformInto } from "./distance-transform";
import { blurWindowInPlace, gaussianKernel, type PlaneWindow } from "./gaussian-blur";
import { hMaxima } from "./h-maxima";
import { findRuns, type LabeledComponents, type Runs } from "./label-components";
import { watershed } from "./watershed";

/** The parameters of segmentObjects that the split reads. */
export type SplitParams = {
  /** Dynamic a distance-map peak needs to become a marker, px (> 0). */
  h: number;
  /** Gaussian sigma applied to the distance map before h-maxima, px; 0 = none. */
  distanceSigma: number;
  /** Merge adjacent basins whose saddle is above (1 - mergeRatio) x the lower peak; 0 = no merge. */
  mergeRatio: number;
  /** Objects smaller than this, px, are dropped (and components smaller than it are not split). */
  minArea: number;
  /** Objects larger than this, px, are dropped (Infinity: none). */
  maxArea: number;
  /** Objects touching the image border are dropped. */
  excludeBorder: boolean;
};

/** Resolution of the smoothed distance map, steps per px (see smoothInside). */
const DISTANCE_STEPS = 256;

/**
 * Splits the 8-connected components of a filled 0/1 mask into basins, drops those outside
 * [minArea, maxArea] (and, with excludeBorder, those touching the border) and numbers the others
 * 1..count in raster order of their first pixel, as filterObjects does. `lap` times the steps.
 *
 * One thread; segmentObjects runs the same steps (prepareSplit, componentDistancesPart,
 * splitComponentsPart, numberBasins) in as many parts as its driver has threads.
 */
export function splitTouching(
  mask: Uint8Array,
  width: number,
  height: number,
  p: SplitParams,
  lap: (step: string) => void,
): LabeledComponents {
  const prepared = prepareSplit(mask, width, height);
  if (prepared === null) return { labels: new Int32Array(width * height), count: 0 };
  lap("split.components");
  const edt = new Float64Array(width * height);
  componentDistancesPart({ ...prepared, edt, nextChunk: new Int32Array(1) });
  lap("split.distance");
  const chunks = splitComponentsPart({ ...prepared, edt, params: p, nextChunk: new Int32Array(1) });
  lap("split.basins");
  return numberBasins(chunks, prepared, p, new Int32Array(width * height));
}

/** The components of the mask, which every part of the split reads. */
export type PreparedSplit = { runs: Runs; components: ComponentRuns; width: number; height: number };

/** The mask's runs and components; null when the mask is empty. */
export function prepareSplit(mask: Uint8Array, width: number, height: number): PreparedSplit | null {
  const runs = findRuns(mask, width, height, 8);
  if (runs.count === 0) return null;
  return { runs, components: componentsOfRuns(runs, width), width, height };
}

/**
 * The split's work comes in SPLIT_CHUNKS chunks: contiguous ranges of components holding about the
 * same share of the foreground's pixels. Threads claim chunks one at a time from a shared counter
 * (`nextChunk`, Atomics), so a thread that drew cheaper components takes more of them, and the
 * results, kept per chunk, are merged in chunk order: the same whoever computed them.
 */
const SPLIT_CHUNKS = 32;

/** Claims the next chunk from the shared counter; null when all are taken. */
function claimChunk(nextChunk: Int32Array): number | null {
  const chunk = Atomics.add(nextChunk, 0, 1);
  return chunk < SPLIT_CHUNKS ? chunk : null;
}

/** The components [from, to) of chunk `chunk` (see SPLIT_CHUNKS). */
function chunkComponents(components: ComponentRuns, chunk: number): [number, number] {
  const total = components.areaBefore[components.count]!;
  const startOf = (k: number) => {
    const target = (total * k) / SPLIT_CHUNKS;
    let lo = 0;
    let hi = components.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (components.areaBefore[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [startOf(chunk), chunk + 1 === SPLIT_CHUNKS ? components.count : startOf(chunk + 1)];
}

/** What the split found in one chunk: its basins, and the crops of the components it flooded. */
export type SplitPart = { chunk: number; basins: BasinList; floods: Flooded[] };

/** The basins of the chunks this thread claims, one SplitPart per chunk. */
export function splitComponentsPart(
  input: PreparedSplit & { edt: Float64Array; params: SplitParams; nextChunk: Int32Array },
): SplitPart[] {
  const parts: SplitPart[] = [];
  const buffers = new CropBuffers();
  for (let chunk = claimChunk(input.nextChunk); chunk !== null; chunk = claimChunk(input.nextChunk)) {
    parts.push(splitChunk(input, chunk, buffers));
  }
  return parts;
}

function splitChunk(
  input: PreparedSplit & { edt: Float64Array; params: SplitParams },
  chunk: number,
  buffers: CropBuffers,
): SplitPart {
  const { runs, components, width, height, edt, params: p } = input;
  const kernel = gaussianKernel(p.distanceSigma);
  const margin = Math.max(1, (kernel.length - 1) / 2);
  const basins = new BasinList();
  const floods: Flooded[] = [];
  const [from, to] = chunkComponents(components, chunk);
  for (let c = from; c < to; c++) {
    if (components.area[c]! < p.minArea) continue;
    const crop = cropAround(components, c, margin, width, height);
    const size = crop.width * crop.height;
    const inside = insideIndices(components, c, runs, crop, width, buffers.indices.view(components.area[c]!));
    const distance = buffers.distance.view(size);
    smoothInside(edt, width, crop, componentWindow(components, c, crop), inside, kernel, distance, buffers);
    const border = touchesBorder(components, c, width, height);
    const local = mayHaveSeveralMarkers(distance, crop.width, crop.height, inside, p.h, buffers)
      ? floodOnTightCrop(input, c, crop, distance, buffers)
      : null;
    if (local === null) {
      basins.add(runs.start[components.order[components.first[c]!]!]!, components.area[c]!, border, c, 0);
      continue;
    }
    addLocalBasins(basins, local.labels, local.markerCount, local.inside, local.crop, width, height, border, c);
    floods.push({ component: c, crop: local.crop, labels: local.labels, markerCount: local.markerCount });
  }
  return { chunk, basins, floods };
}

/**
 * floodComponent on the component's box widened by 1 px (the smoothing needed a wider margin;
 * markers, flood and merge need only a ring of background, so they run on fewer pixels). Null
 * when the component has at most one marker.
 */
function floodOnTightCrop(
  input: PreparedSplit & { edt: Float64Array; params: SplitParams },
  c: number,
  crop: Crop,
  distance: Float64Array,
  buffers: CropBuffers,
): { labels: Int32Array; markerCount: number; crop: Crop; inside: Int32Array } | null {
  const { runs, components, width, height, edt, params } = input;
  const tight = cropAround(components, c, 1, width, height);
  const size = tight.width * tight.height;
  const tightDistance = buffers.floodDistance.view(size);
  for (let y = 0; y < tight.height; y++) {
    const from = (tight.y - crop.y + y) * crop.width + (tight.x - crop.x);
    tightDistance.set(distance.subarray(from, from + tight.width), y * tight.width);
  }
  const inside = insideIndices(components, c, runs, tight, width, buffers.floodIndices.view(components.area[c]!));
  // The merge reads the unsmoothed distances.
  const local = floodComponent(
    tightDistance,
    copyCrop(edt, tight, width, buffers.edt.view(size)),
    tight,
    inside,
    params,
  );
  return local === null ? null : { ...local, crop: tight, inside };
}

/** A component split by the flood: its crop and the crop's local basin labels. */
export type Flooded = { component: number; crop: Crop; labels: Int32Array; markerCount: number };

/** Basins found so far: first pixel (image index), area, whether on the border, where from. */
export class BasinList {
  count = 0;
  firstPixel = new Int32Array(1024);
  area = new Int32Array(1024);
  border = new Uint8Array(1024);
  component = new Int32Array(1024);
  /** Label in the component's flood, 0 when the component is one basin. */
  local = new Int32Array(1024);

  add(firstPixel: number, area: number, border: boolean, component: number, local: number): void {
    if (this.count === this.area.length) this.grow();
    const k = this.count++;
    this.firstPixel[k] = firstPixel;
    this.area[k] = area;
    this.border[k] = border ? 1 : 0;
    this.component[k] = component;
    this.local[k] = local;
  }

  private grow(): void {
    const size = 2 * this.area.length;
    const grown = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.firstPixel = grown(this.firstPixel, (k) => new Int32Array(k));
    this.area = grown(this.area, (k) => new Int32Array(k));
    this.border = grown(this.border, (k) => new Uint8Array(k));
    this.component = grown(this.component, (k) => new Int32Array(k));
    this.local = grown(this.local, (k) => new Int32Array(k));
  }
}

function touchesBorder(components: ComponentRuns, c: number, width: number, height: number): boolean {
  return (
    components.x0[c] === 0 ||
    components.y0[c] === 0 ||
    components.x1[c] === width - 1 ||
    components.y1[c] === height - 1
  );
}

/** Adds the flood's basins of component c (labels 1..markerCount in its crop) to `basins`. */
function addLocalBasins(
  basins: BasinList,
  labels: Int32Array,
  markerCount: number,
  inside: Int32Array,
  crop: Crop,
  width: number,
  height: number,
  componentOnBorder: boolean,
  c: number,
): void {
  const area = new Int32Array(markerCount + 1);
  const first = new Int32Array(markerCount + 1).fill(-1);
  const border = new Uint8Array(markerCount + 1);
  for (let k = 0; k < inside.length; k++) {
    const j = inside[k]!;
    const l = labels[j]!;
    area[l]!++;
    if (first[l] === -1) first[l] = j;
    if (componentOnBorder && border[l] === 0) {
      const y = crop.y + Math.floor(j / crop.width);
      const x = crop.x + (j % crop.width);
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border[l] = 1;
    }
  }
  for (let l = 1; l <= markerCount; l++) {
    if (area[l] === 0) continue;
    const j = first[l]!;
    const y = Math.floor(j / crop.width);
    basins.add((crop.y + y) * width + crop.x + (j - y * crop.width), area[l]!, border[l] === 1, c, l);
  }
}

/**
 * Keeps the basins of all chunks (in chunk order) inside the area range (and off
 * the border with excludeBorder), numbers them in raster order of their first pixel and paints
 * them into `labels` (the image's size, all 0).
 */
export function numberBasins(
  parts: SplitPart[],
  prepared: PreparedSplit,
  p: SplitParams,
  labels: Int32Array,
): LabeledComponents {
  const { runs, components, width } = prepared;
  const total = parts.reduce((sum, part) => sum + part.basins.count, 0);
  const order = new Int32Array(total);
  const firstPixel = new Int32Array(total);
  const keep = new Uint8Array(total);
  for (let k = 0, offset = 0; k < parts.length; offset += parts[k]!.basins.count, k++) {
    const basins = parts[k]!.basins;
    for (let b = 0; b < basins.count; b++) {
      const area = basins.area[b]!;
      firstPixel[offset + b] = basins.firstPixel[b]!;
      order[offset + b] = offset + b;
      keep[offset + b] = area < p.minArea || area > p.maxArea || (p.excludeBorder && basins.border[b] === 1) ? 0 : 1;
    }
  }
  order.sort((a, b) => firstPixel[a]! - firstPixel[b]!);
  const finalLabel = new Int32Array(total);
  let count = 0;
  for (let k = 0; k < total; k++) if (keep[order[k]!] === 1) finalLabel[order[k]!] = ++count;

  for (let k = 0, offset = 0; k < parts.length; offset += parts[k]!.basins.count, k++) {
    const { basins, floods } = parts[k]!;
    const floodOf = new Map(floods.map((f) => [f.component, f]));
    const localToFinal = new Map<number, Int32Array>();
    for (let b = 0; b < basins.count; b++) {
      const c = basins.component[b]!;
      const label = finalLabel[offset + b]!;
      if (basins.local[b] === 0) {
        if (label !== 0) paintRuns(labels, components, c, runs, label);
        continue;
      }
      let map = localToFinal.get(c);
      if (map === undefined) localToFinal.set(c, (map = new Int32Array(floodOf.get(c)!.markerCount + 1)));
      map[basins.local[b]!] = label;
    }
    for (const flood of floods) {
      const map = localToFinal.get(flood.component)!;
      const local = flood.labels;
      for (let j = 0; j < local.length; j++) local[j] = map[local[j]!]!;
      scatterInside(local, flood.crop, components, flood.component, runs, width, labels);
    }
  }
  return { labels, count };
}

/** Connected components as lists of runs, in raster order of their first pixel, with boxes. */
export type ComponentRuns = {
  count: number;
  /** Runs of component c: order[first[c] .. first[c + 1] - 1], in raster order. */
  first: Int32Array;
  order: Int32Array;
  area: Int32Array;
  /** Pixels of components 0 .. c - 1 (length count + 1). */
  areaBefore: Float64Array;
  x0: Int32Array;
  x1: Int32Array;
  y0: Int32Array;
  y1: Int32Array;
};

function componentsOfRuns(runs: Runs, width: number): ComponentRuns {
  const { root, start, end } = runs;
  const index = new Int32Array(runs.count); // component of each run
  let count = 0;
  for (let i = 0; i < runs.count; i++) index[i] = root[i] === i ? count++ : index[root[i]!]!;
  const first = new Int32Array(count + 1);
  const area = new Int32Array(count);
  const x0 = new Int32Array(count).fill(width);
  const x1 = new Int32Array(count).fill(-1);
  const y0 = new Int32Array(count);
  const y1 = new Int32Array(count);
  for (let i = 0; i < runs.count; i++) {
    const c = index[i]!;
    first[c + 1]!++;
    const s = start[i]!;
    const y = Math.floor(s / width);
    const xs = s - y * width;
    const xe = end[i]! - y * width - 1;
    area[c]! += xe - xs + 1;
    if (xs < x0[c]!) x0[c] = xs;
    if (xe > x1[c]!) x1[c] = xe;
    if (root[i] === i) y0[c] = y;
    y1[c] = y;
  }
  for (let c = 0; c < count; c++) first[c + 1]! += first[c]!;
  const areaBefore = new Float64Array(count + 1);
  for (let c = 0; c < count; c++) areaBefore[c + 1] = areaBefore[c]! + area[c]!;
  const order = new Int32Array(runs.count);
  const next = first.slice(0, count);
  for (let i = 0; i < runs.count; i++) order[next[index[i]!]!++] = i;
  return { count, first, order, area, areaBefore, x0, x1, y0, y1 };
}

/** A component's box widened by `margin`, clipped to the image. */
export type Crop = { x: number; y: number; width: number; height: number };

function cropAround(components: ComponentRuns, c: number, margin: number, width: number, height: number): Crop {
  const x = Math.max(0, components.x0[c]! - margin);
  const y = Math.max(0, components.y0[c]! - margin);
  const right = Math.min(width - 1, components.x1[c]! + margin);
  const bottom = Math.min(height - 1, components.y1[c]! + margin);
  return { x, y, width: right - x + 1, height: bottom - y + 1 };
}

/** Copies the crop's values at the component's pixels into the whole-image plane `target`. */
function scatterInside<T extends Float64Array | Int32Array>(
  values: T,
  crop: Crop,
  components: ComponentRuns,
  c: number,
  runs: Runs,
  width: number,
  target: T,
): void {
  for (let r = components.first[c]!; r < components.first[c + 1]!; r++) {
    const run = components.order[r]!;
    const s = runs.start[run]!;
    const y = Math.floor(s / width);
    const shift = (y - crop.y) * crop.width - crop.x - y * width; // crop index - image index
    for (let i = s, e = runs.end[run]!; i < e; i++) target[i] = values[i + shift]!;
  }
}

/**
 * Writes into `edt` (the image's size, zero outside the mask) the Euclidean distance map of the
 * components of the chunks this thread claims, one component at a time on its box widened by 1 px,
 * where every other pixel counts as background. Exact: for a pixel p of component C at distance d
 * from the background, every pixel closer than d is foreground and, the disc being 4-connected,
 * in C; so the nearest pixel outside C is background, at distance d. And it lies in the widened
 * box: walking from p along its row (or column) towards a point beyond the box, the first pixel
 * outside C is background (a foreground one would be 4-adjacent to C, hence in C) and closer.
 */
export function componentDistancesPart(input: PreparedSplit & { edt: Float64Array; nextChunk: Int32Array }): void {
  const buffers = new CropBuffers();
  const scratch = new DistanceScratch();
  for (let chunk = claimChunk(input.nextChunk); chunk !== null; chunk = claimChunk(input.nextChunk)) {
    distancesOfChunk(input, chunk, buffers, scratch);
  }
}

function distancesOfChunk(
  input: PreparedSplit & { edt: Float64Array },
  chunk: number,
  buffers: CropBuffers,
  scratch: DistanceScratch,
): void {
  const { runs, components, width, height, edt } = input;
  const [from, to] = chunkComponents(components, chunk);
  for (let c = from; c < to; c++) {
    const crop = cropAround(components, c, 1, width, height);
    const size = crop.width * crop.height;
    const mask = buffers.mask.view(size);
    mask.fill(0);
    for (let r = components.first[c]!; r < components.first[c + 1]!; r++) {
      const run = components.order[r]!;
      const s = runs.start[run]!;
      const y = Math.floor(s / width);
      const shift = (y - crop.y) * crop.width - crop.x - y * width; // crop index - image index
      mask.fill(1, s + shift, runs.end[run]! + shift);
    }
    const distances = buffers.edt.view(size);
    distanceTransformInto(mask, crop.width, crop.height, distances, false, scratch);
    scatterInside(distances, crop, components, c, runs, width, edt);
  }
}

/** Crop indices of the component's pixels, in raster order. */
function insideIndices(
  components: ComponentRuns,
  c: number,
  runs: Runs,
  crop: Crop,
  width: number,
  inside: Int32Array,
): Int32Array {
  let k = 0;
  for (let r = components.first[c]!; r < components.first[c + 1]!; r++) {
    const run = components.order[r]!;
    const s = runs.start[run]!;
    const y = Math.floor(s / width);
    const row = (y - crop.y) * crop.width - crop.x - y * width;
    for (let i = s, e = runs.end[run]!; i < e; i++) inside[k++] = row + i;
  }
  return inside;
}

function paintRuns(basins: Int32Array, components: ComponentRuns, c: number, runs: Runs, label: number): void {
  for (let r = components.first[c]!; r < components.first[c + 1]!; r++) {
    const run = components.order[r]!;
    basins.fill(label, runs.start[run], runs.end[run]);
  }
}

/** The crop of an image-sized plane, into `out` (a Float32Array rounds as Float32Array.set does). */
function copyCrop<T extends Float64Array | Float32Array>(plane: Float64Array, crop: Crop, width: number, out: T): T {
  for (let y = 0, j = 0; y < crop.height; y++) {
    for (let i = (crop.y + y) * width + crop.x, end = i + crop.width; i < end; i++, j++) out[j] = plane[i]!;
  }
  return out;
}

/**
 * Writes into `out` the crop's distance map (of the image-sized `edt`) smoothed with `kernel` and rounded to 1/DISTANCE_STEPS
 * px at the component's pixels, 0 elsewhere. The smoothed map has a distinct value at almost every
 * pixel, which would push the watershed off its bucket queue onto a heap (several times slower).
 * With 1/256 px steps, maps up to 256 px deep stay on the bucket queue; coarser steps (1/32 px)
 * lowered the DeepSEM F1 (scripts/evaluation) by 0.006, 1/256 did not measurably. Sigma 0: the
 * map itself.
 */
function smoothInside(
  edt: Float64Array,
  width: number,
  crop: Crop,
  window: PlaneWindow,
  inside: Int32Array,
  kernel: Float32Array,
  out: Float64Array,
  buffers: CropBuffers,
): void {
  out.fill(0);
  const size = crop.width * crop.height;
  if (kernel.length === 1) {
    const edtCrop = copyCrop(edt, crop, width, buffers.edt.view(size));
    for (let k = 0; k < inside.length; k++) out[inside[k]!] = edtCrop[inside[k]!]!;
    return;
  }
  const plane = copyCrop(edt, crop, width, buffers.plane.view(size)); // to Float32, as gaussianBlurFloat converts
  blurWindowInPlace(plane, buffers.rowPass.view(size), crop.width, crop.height, kernel, window);
  for (let k = 0; k < inside.length; k++) {
    const j = inside[k]!;
    out[j] = Math.round(plane[j]! * DISTANCE_STEPS) / DISTANCE_STEPS;
  }
}

/** The component's box in its crop's coordinates. */
function componentWindow(components: ComponentRuns, c: number, crop: Crop): PlaneWindow {
  return {
    x0: components.x0[c]! - crop.x,
    x1: components.x1[c]! + 1 - crop.x,
    y0: components.y0[c]! - crop.y,
    y1: components.y1[c]! + 1 - crop.y,
  };
}

/** A typed array reused from one component to the next, doubled when a longer view is asked for. */
class Reusable<T extends Int32Array | Uint8Array | Float32Array | Float64Array> {
  private array: T;

  constructor(private readonly make: (length: number) => T) {
    this.array = make(4096);
  }

  /** A view of the first n values (contents left over from earlier use). */
  view(n: number): T {
    if (this.array.length < n) this.array = this.make(2 * n);
    return this.array.subarray(0, n) as T;
  }
}

/** The scratch planes of one thread's components. */
class CropBuffers {
  readonly indices = new Reusable((n) => new Int32Array(n));
  readonly floodIndices = new Reusable((n) => new Int32Array(n));
  readonly floodDistance = new Reusable((n) => new Float64Array(n));
  readonly mask = new Reusable((n) => new Uint8Array(n));
  readonly edt = new Reusable((n) => new Float64Array(n));
  readonly distance = new Reusable((n) => new Float64Array(n));
  readonly plane = new Reusable((n) => new Float32Array(n));
  readonly rowPass = new Reusable((n) => new Float32Array(n));
  readonly tops = new Reusable((n) => new Int32Array(n));
  readonly topGroups = new Reusable((n) => new Int32Array(n));
  readonly climb = new Reusable((n) => new Int32Array(n));
  readonly seen = new VisitMarks();
}

/** Local maxima followed per component before giving up and running the reconstruction. */
const MAX_TOPS = 64;
/** Pixels a climb may visit before giving up (see mayHaveSeveralMarkers). */
const MAX_CLIMB = 64;

/**
 * Whether the component (its `inside` pixels of `map`, 0 elsewhere) may have two or more
 * h-maxima; false means at most one, so it is one basin without the reconstruction.
 *
 * Exact, by two facts. (1) The highest pixel of an h-maximum is >= all its 8 neighbours (a
 * "top"), and two tops that are 8-adjacent are equal and belong to the same h-maximum, so each
 * h-maximum owns a distinct group of adjacent tops. (2) A group at value v owns none when, from
 * one of its pixels, a path of pixels above v - h reaches a pixel above v: the reconstruction then
 * lifts the group above v - h. So when every group but the highest is shown to climb that way
 * (margins of 1e-9 absorb rounding), only the highest group can hold an h-maximum. A climb visits
 * at most MAX_CLIMB pixels; a group that does not find a higher pixel so soon is a real peak, and
 * the reconstruction decides.
 */
function mayHaveSeveralMarkers(
  map: Float64Array,
  width: number,
  height: number,
  inside: Int32Array,
  h: number,
  buffers: CropBuffers,
): boolean {
  const tops = buffers.tops.view(MAX_TOPS);
  let count = 0;
  for (let k = 0; k < inside.length; k++) {
    const j = inside[k]!;
    if (!isTop(map, width, height, j)) continue;
    if (count === MAX_TOPS) return true;
    tops[count++] = j;
  }
  if (count <= 1) return false;
  // Groups of 8-adjacent tops (union-find on the few tops), and the highest top.
  const group = buffers.topGroups.view(count);
  for (let a = 0; a < count; a++) group[a] = a;
  const root = (a: number): number => (group[a] === a ? a : (group[a] = root(group[a]!)));
  let highest = 0;
  for (let a = 0; a < count; a++) {
    if (map[tops[a]!]! > map[tops[highest]!]!) highest = a;
    for (let b = a + 1; b < count; b++) {
      const ya = Math.floor(tops[a]! / width);
      const yb = Math.floor(tops[b]! / width);
      const dx = tops[a]! - ya * width - (tops[b]! - yb * width);
      if (Math.abs(ya - yb) <= 1 && Math.abs(dx) <= 1) group[root(b)] = root(a);
    }
  }
  const highestGroup = root(highest);
  for (let a = 0; a < count; a++) {
    const g = root(a);
    if (g === highestGroup || g !== a) continue; // one climb per group, from its root top
    if (!climbsHigher(map, width, height, tops[a]!, h, buffers)) return true;
  }
  return false;
}

/** Whether pixel j is >= all its 8 neighbours inside the crop. */
function isTop(map: Float64Array, width: number, height: number, j: number): boolean {
  const v = map[j]!;
  const y = Math.floor(j / width);
  const x = j - y * width;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx >= 0 && xx < width && map[yy * width + xx]! > v) return false;
    }
  }
  return true;
}

/**
 * Whether, from pixel `start` (value v), pixels above v - h + margin lead to a pixel above
 * v + margin within MAX_CLIMB visited pixels (breadth first).
 */
function climbsHigher(
  map: Float64Array,
  width: number,
  height: number,
  start: number,
  h: number,
  buffers: CropBuffers,
) {
  const v = map[start]!;
  const margin = 1e-9 * Math.max(1, v);
  const floor = v - h + margin;
  const queue = buffers.climb.view(MAX_CLIMB);
  const seen = buffers.seen;
  const mark = seen.next();
  const marks = seen.marks(width * height);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  marks[start] = mark;
  while (head < tail) {
    const j = queue[head++]!;
    const y = Math.floor(j / width);
    const x = j - y * width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const q = yy * width + xx;
        const f = map[q]!;
        if (f > v + margin) return true;
        if (f <= floor || marks[q] === mark) continue;
        if (tail === MAX_CLIMB) return false;
        marks[q] = mark;
        queue[tail++] = q;
      }
    }
  }
  return false;
}

/**
 * Visit marks over a crop, cleared by changing the mark: each climb takes a new one, so the
 * plane is never cleared.
 */
class VisitMarks {
  private mark = 0;
  private plane = new Int32Array(4096);

  next(): number {
    if (++this.mark === 2 ** 31 - 1) {
      this.plane.fill(0);
      this.mark = 1;
    }
    return this.mark;
  }

  /** The mark plane for n pixels: the current mark means visited. */
  marks(n: number): Int32Array {
    if (this.plane.length < n) this.plane = new Int32Array(2 * n);
    return this.plane;
  }
}

/**
 * Markers (h-maxima of `distance`), then, when there are several, the flood of the negated map
 * inside the component and the merge of shallow splits. Null when the component has at most one
 * marker (one basin).
 */
function floodComponent(
  distance: Float64Array,
  edtCrop: Float64Array,
  crop: Crop,
  inside: Int32Array,
  p: SplitParams,
): { labels: Int32Array; markerCount: number } | null {
  const markers = hMaxima(distance, crop.width, crop.height, p.h);
  if (markers.count <= 1) return null;
  const mask = new Uint8Array(distance.length);
  for (let k = 0; k < inside.length; k++) mask[inside[k]!] = 1;
  // The smoothed map is in steps of 1/DISTANCE_STEPS px: scaled, the elevations are integers, which
  // the flood ranks without hashing or sorting (same order, same ties).
  negateInside(distance, inside, p.distanceSigma > 0 ? DISTANCE_STEPS : 1);
  const labels = watershed(distance, markers.labels, crop.width, crop.height, { mask, connectivity: 8 });
  if (p.mergeRatio > 0) {
    mergeShallowBasins(labels, inside, edtCrop, crop.width, crop.height, markers.count, p.mergeRatio);
  }
  return { labels, markerCount: markers.count };
}

function negateInside(values: Float64Array, inside: Int32Array, scale: number): void {
  for (let k = 0; k < inside.length; k++) values[inside[k]!] = -scale * values[inside[k]!]!;
}

/**
 * Merges, in place, adjacent basins whose saddle on `distance` is above (1 - ratio) x the lower of
 * their peaks, in decreasing order of saddle height (the order in which flooding would join them).
 * The saddle between two basins is the highest min(d[p], d[q]) over 8-adjacent pixel pairs p, q on
 * either side of their boundary.
 */
export function mergeShallowBasins(
  labels: Int32Array,
  pixels: Int32Array,
  distance: Float64Array,
  width: number,
  height: number,
  maxLabel: number,
  ratio: number,
): void {
  const peak = new Float64Array(maxLabel + 1);
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k]!;
    const l = labels[i]!;
    if (distance[i]! > peak[l]!) peak[l] = distance[i]!;
  }
  const saddles = new Map<number, number>();
  const stride = maxLabel + 1;
  const visit = (i: number, j: number) => {
    const a = labels[i]!;
    const b = labels[j]!;
    if (a === b || b === 0) return;
    const key = a < b ? a * stride + b : b * stride + a;
    const s = Math.min(distance[i]!, distance[j]!);
    const old = saddles.get(key);
    if (old === undefined || s > old) saddles.set(key, s);
  };
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k]!;
    const x = i % width;
    const y = (i - x) / width;
    if (x + 1 < width) visit(i, i + 1);
    if (y + 1 < height) {
      visit(i, i + width);
      if (x + 1 < width) visit(i, i + width + 1);
      if (x > 0) visit(i, i + width - 1);
    }
  }
  if (saddles.size === 0) return;
  const edges = [...saddles].sort((e, f) => f[1] - e[1]);
  const parent = new Int32Array(maxLabel + 1);
  for (let l = 0; l <= maxLabel; l++) parent[l] = l;
  const find = (l: number): number => {
    while (parent[l] !== l) {
      parent[l] = parent[parent[l]!]!;
      l = parent[l]!;
    }
    return l;
  };
  let merged = false;
  for (const [key, s] of edges) {
    const a = find(Math.floor(key / stride));
    const b = find(key % stride);
    if (a === b) continue;
    const lower = Math.min(peak[a]!, peak[b]!);
    if (s > (1 - ratio) * lower) {
      const [keep, drop] = peak[a]! >= peak[b]! ? [a, b] : [b, a];
      parent[drop] = keep;
      merged = true;
    }
  }
  if (!merged) return;
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k]!;
    labels[i] = find(labels[i]!);
  }
}
