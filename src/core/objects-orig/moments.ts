/**
 * Second-moment ("inertia ellipse") descriptors of one object, defined exactly as scikit-image
 * 0.19's regionprops defines them (skimage.measure._moments.inertia_tensor and
 * inertia_tensor_eigvals, and the regionprops properties built on them).
 *
 * The kernel works on integer pixel sums taken relative to any pixel-aligned origin (region-props
 * uses the object's first pixel in raster order), so that the central moments come out as exact
 * integer arithmetic for every object up to ~10^7 pixels and shapes with a symmetric tensor hit
 * scikit-image's `a - c == 0` branch exactly. Inputs are in pixels; nothing here knows about units.
 */

/** Raw pixel sums of one object, with row r and column c measured from a pixel-aligned origin. */
export type MomentSums = {
  /** Pixel count. */
  n: number;
  /** Σ r. */
  sr: number;
  /** Σ c. */
  sc: number;
  /** Σ r². */
  srr: number;
  /** Σ c². */
  scc: number;
  /** Σ r·c. */
  src: number;
};

/** Second-moment descriptors, in pixels and radians. */
export type EllipseDescriptors = {
  /** 4·√λ1, λ1 the larger eigenvalue of the inertia tensor (skimage `axis_major_length`). */
  axisMajorLength: number;
  /** 4·√λ2, λ2 the smaller eigenvalue (skimage `axis_minor_length`). */
  axisMinorLength: number;
  /** √(1 − λ2/λ1), 0 when λ1 = 0 (skimage `eccentricity`). */
  eccentricity: number;
  /**
   * Angle between the row axis (axis 0) and the major axis, in (−π/2, π/2] (skimage `orientation`):
   * ½·atan2(−2b, c − a) with the inertia tensor [[a, b], [b, c]]; ±π/4 when a = c (sign of −b).
   */
  orientation: number;
};

const EXACT = 2 ** 53;

/** n·s2 − s1a·s1b, exact for integer inputs (falls back to BigInt when doubles would round). */
function scaledCentral(n: number, s2: number, s1a: number, s1b: number): number {
  const p = n * s2;
  const q = s1a * s1b;
  if (Math.abs(p) < EXACT && Math.abs(q) < EXACT) return p - q;
  return Number(BigInt(n) * BigInt(s2) - BigInt(s1a) * BigInt(s1b));
}

/** A·C − B², exact for integer inputs. */
function determinant(A: number, B: number, C: number): number {
  const p = A * C;
  const q = B * B;
  if (Math.abs(p) < EXACT && Math.abs(q) < EXACT) return p - q;
  return Number(BigInt(A) * BigInt(C) - BigInt(B) * BigInt(B));
}

/**
 * Inertia ellipse of an object from its raw sums.
 *
 * With μ the central moments (μ20 over rows, μ02 over columns) and n the area, scikit-image's
 * inertia tensor is T = [[μ02/n, −μ11/n], [−μ11/n, μ20/n]]; its eigenvalues are clipped at 0 and
 * sorted descending. Here A = n·μ02, B = n·μ11, C = n·μ20 are exact integers, so
 * T = [[A, −B], [−B, C]] / n², λ1 = (A + C + √((A − C)² + 4B²)) / 2n², and λ2 = det / λ1 with
 * det = (A·C − B²) / n⁴ computed exactly (no cancellation for thin objects).
 */
export function ellipseFromMoments(sums: MomentSums): EllipseDescriptors {
  const { n, sr, sc, srr, scc, src } = sums;
  if (!(n > 0)) throw new RangeError(`moments need a non-empty object, got n = ${n}`);
  const A = scaledCentral(n, scc, sc, sc);
  const C = scaledCentral(n, srr, sr, sr);
  const B = scaledCentral(n, src, sr, sc);
  const n2 = n * n;
  const root = Math.sqrt((A - C) * (A - C) + 4 * B * B);
  const twiceL1 = A + C + root;
  const l1 = Math.max(0, twiceL1 / (2 * n2));
  const det = determinant(A, B, C);
  const l2 = twiceL1 > 0 ? Math.max(0, (2 * det) / (twiceL1 * n2)) : 0;
  const eccentricity = l1 === 0 ? 0 : Math.sqrt(1 - l2 / l1);
  // skimage: a, b, b, c = T.flat; a - c == 0 → ±π/4 by the sign of b; else ½·atan2(−2b, c − a).
  // a − c = (A − C)/n², b = −B/n²; dividing both atan2 arguments by n² > 0 keeps the angle.
  const orientation = A === C ? (-B < 0 ? -Math.PI / 4 : Math.PI / 4) : 0.5 * Math.atan2(2 * B, C - A);
  return {
    axisMajorLength: 4 * Math.sqrt(l1),
    axisMinorLength: 4 * Math.sqrt(l2),
    eccentricity,
    orientation,
  };
}
