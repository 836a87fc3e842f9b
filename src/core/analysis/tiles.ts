/**
 * Whole-image classification by tiles (the "tiles" classification mode), pure geometry and maps.
 *
 * The network reads square tiles of a fixed side (the ONNX contract's input size) from the image
 * already resized to the model's scale. A grid of tiles with equal spacing covers the analysed
 * area, the first and last ones on its edges: tiles overlap only where the area's side is not a
 * multiple of the tile side. Each tile weighs its area inside the analysed area.
 *
 * Aggregation: the area-weighted mean of the tiles' logits. The network ends in a global average
 * pool and a linear head, so this mean is the head applied to the area-weighted mean of the
 * tiles' pooled features: where tiles do not overlap, exactly what the network would say with one
 * global pool over the whole area at its own scale. It is the only rule of the usual ones that
 * keeps the CAM honest: the stitched CAM (sum_k w_ck * features_k over every tile) is then the map
 * of the very logit that decided, as for one crop. Averaging probabilities, voting or taking the
 * most confident tile would each break that link, and max/vote let one tile (an edge artefact, a
 * bit of data bar, a scratch) decide the image. The price: a morphology covering a small part of
 * the image is averaged away; the per-tile logits are kept (classify.ts tileLogits) and the
 * stitched CAM shows where each class's evidence lies.
 */

export type TileRect = { left: number; top: number; width: number; height: number };

export type Tile = TileRect & {
  /** Pixels of the tile inside the analysed area (its weight in the aggregation). */
  weight: number;
};

/** Starts of the tiles along one axis covering [start, start + length) inside [0, size). */
function axisStarts(start: number, length: number, size: number, tile: number): number[] {
  if (length <= tile) {
    // One tile, centred on the area, kept inside the image.
    return [Math.min(size - tile, Math.max(0, start + Math.round((length - tile) / 2)))];
  }
  const n = Math.ceil(length / tile);
  const step = (length - tile) / (n - 1);
  return Array.from({ length: n }, (_, i) => start + Math.round(i * step));
}

/**
 * The tiles covering `area` (default: the whole image) of an image of `width` x `height`, row by
 * row. Throws RangeError when the image is smaller than a tile or the area is not inside it.
 */
export function planTiles(width: number, height: number, tileSize: number, area?: TileRect): Tile[] {
  if (width < tileSize || height < tileSize)
    throw new RangeError(`a ${width} x ${height} image is smaller than a ${tileSize} px tile`);
  const a = area ?? { left: 0, top: 0, width, height };
  if (
    ![a.left, a.top, a.width, a.height].every(Number.isInteger) ||
    a.width <= 0 ||
    a.height <= 0 ||
    a.left < 0 ||
    a.top < 0 ||
    a.left + a.width > width ||
    a.top + a.height > height
  ) {
    throw new RangeError(`the analysed area ${JSON.stringify(a)} is not inside the ${width} x ${height} image`);
  }
  const overlap = (s: number, from: number, length: number) =>
    Math.max(0, Math.min(s + tileSize, from + length) - Math.max(s, from));
  const tiles: Tile[] = [];
  for (const top of axisStarts(a.top, a.height, height, tileSize)) {
    for (const left of axisStarts(a.left, a.width, width, tileSize)) {
      const weight = overlap(left, a.left, a.width) * overlap(top, a.top, a.height);
      tiles.push({ left, top, width: tileSize, height: tileSize, weight });
    }
  }
  return tiles;
}

/**
 * Weighted mean of per-tile vectors (logits, pooled features). Averaging the logits of a linear
 * head is the head applied to the averaged pooled features (logits = W f + b is affine), and the
 * area-weighted mean of the tiles' global-average-pooled features is the global average pool over
 * the whole covered area when the tiles do not overlap: so the aggregated logits are what the
 * network's head would give for one global pool over the whole image, at the model's scale.
 */
export function weightedMean(vectors: readonly ArrayLike<number>[], weights: readonly number[]): Float64Array {
  const length = vectors[0]?.length ?? 0;
  const out = new Float64Array(length);
  let total = 0;
  vectors.forEach((vector, t) => {
    const w = weights[t] ?? 0;
    if (vector.length !== length) throw new RangeError("every tile's vector must have the same length");
    total += w;
    for (let i = 0; i < length; i++) out[i] = (out[i] ?? 0) + w * (vector[i] ?? 0);
  });
  if (!(total > 0)) throw new RangeError("the tiles' weights must sum to a positive number");
  for (let i = 0; i < length; i++) out[i] = (out[i] ?? 0) / total;
  return out;
}

/**
 * One map over the whole `width` x `height` image from per-tile maps (each tile.width x
 * tile.height, row-major): each pixel takes the map of the tile covering it, the mean where tiles
 * overlap, 0 where none does.
 */
export function stitchTileMaps(
  tiles: readonly TileRect[],
  maps: readonly Float32Array[],
  width: number,
  height: number,
): Float32Array {
  if (maps.length !== tiles.length) throw new RangeError(`${maps.length} maps for ${tiles.length} tiles`);
  const sum = new Float64Array(width * height);
  const count = new Uint16Array(width * height);
  tiles.forEach((tile, t) => {
    const map = maps[t]!;
    if (map.length !== tile.width * tile.height)
      throw new RangeError(`tile ${t}'s map has ${map.length} values, expected ${tile.width} x ${tile.height}`);
    for (let y = 0; y < tile.height; y++) {
      const row = (tile.top + y) * width + tile.left;
      for (let x = 0; x < tile.width; x++) {
        sum[row + x] = (sum[row + x] ?? 0) + map[y * tile.width + x]!;
        count[row + x] = (count[row + x] ?? 0) + 1;
      }
    }
  });
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = count[i]! > 0 ? sum[i]! / count[i]! : 0;
  return out;
}
