/**
 * SAM 2's prompt points: the normalised grid (build_point_grid), its points in image pixels and in
 * the model's 1024 x 1024 input frame (SAM2Transforms.transform_coords with normalize=True; the
 * image is resized straight to the frame, so x and y scale independently).
 */

/** Side of the square frame SAM 2's encoder sees. */
export const SAM2_FRAME_SIDE = 1024;

/** numpy.linspace(start, stop, count) in float64, value for value (endpoint set exactly). */
function linspace(start: number, stop: number, count: number): Float64Array {
  const values = new Float64Array(count);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) values[i] = i * step + start;
  if (count > 1) values[count - 1] = stop;
  return values;
}

/**
 * n x n points evenly spaced in [0,1]^2 with a half-spacing margin, as interleaved (x, y), row by
 * row (x fastest), like build_point_grid.
 */
export function buildPointGrid(pointsPerSide: number): Float64Array {
  if (!Number.isInteger(pointsPerSide) || pointsPerSide < 1)
    throw new RangeError("pointsPerSide must be a positive integer");
  const offset = 1 / (2 * pointsPerSide);
  const oneSide = linspace(offset, 1 - offset, pointsPerSide);
  const points = new Float64Array(2 * pointsPerSide * pointsPerSide);
  for (let row = 0, p = 0; row < pointsPerSide; row++) {
    for (let column = 0; column < pointsPerSide; column++, p += 2) {
      points[p] = oneSide[column]!;
      points[p + 1] = oneSide[row]!;
    }
  }
  return points;
}

/** Normalised (x, y) pairs scaled to image pixels (points_for_image = grid * [width, height]). */
export function gridToImagePoints(grid: Float64Array, width: number, height: number): Float64Array {
  const points = new Float64Array(grid.length);
  for (let p = 0; p < grid.length; p += 2) {
    points[p] = grid[p]! * width;
    points[p + 1] = grid[p + 1]! * height;
  }
  return points;
}

/** Image-pixel (x, y) pairs in the model frame, float32 as the decoder takes them: x / width * 1024. */
export function imageToFramePoints(points: Float64Array, width: number, height: number): Float32Array {
  const frame = new Float32Array(points.length);
  for (let p = 0; p < points.length; p += 2) {
    frame[p] = (points[p]! / width) * SAM2_FRAME_SIDE;
    frame[p + 1] = (points[p + 1]! / height) * SAM2_FRAME_SIDE;
  }
  return frame;
}
