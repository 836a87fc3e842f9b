import COLORMAP_DATA from "./colormap-data.json";

/**
 * The project's colour maps, as 256-entry RGBA lookup tables, and `colorize` to apply them to any
 * 8-bit map (segmentation, texture, cluster labels, class activation maps...).
 *
 * Entries equal matplotlib's `cmap(i, bytes=True)` for i = 0..255 (its LUT of N = 256 entries,
 * converted to bytes by truncating value * 255), so our images carry the reference's colours:
 * - "jet": Grad-CAM overlays; "hot": the GLCM texture map; "viridis": the k-means label map;
 * - "tab20": SAM-style mask overlays. tab20 is a 20-colour qualitative map; entry i is
 *   tab20(i % 20), i.e. label i gets the i-th colour, cycling, as the reference colours masks;
 * - "white_blue": the target-cluster mask. The reference describes it as a "white -> blue colour
 *   map"; we take that literally: linear from white (255, 255, 255) to pure blue (0, 0, 255),
 *   matplotlib's LinearSegmentedColormap.from_list(["white", "blue"]). (matplotlib's "Blues" would
 *   end in navy (8, 48, 107) instead; on a 0/255 mask only the two ends are seen.)
 */
export const COLORMAP_NAMES = ["jet", "hot", "viridis", "tab20", "white_blue"] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** One channel of a matplotlib LinearSegmentedColormap: rows (x, y_left, y_right). */
type Segment = readonly (readonly [number, number, number])[];
type SegmentData = { red: Segment; green: Segment; blue: Segment };

// The tables themselves (matplotlib's numbers, with their provenance) are data, not code.
const TABLES = COLORMAP_DATA as unknown as {
  jet: SegmentData;
  hot: SegmentData;
  white_blue: SegmentData;
  tab20: readonly string[];
  viridis: readonly number[];
};

/** matplotlib.colors._create_lookup_table(N, data) with gamma 1, in the same float64 steps. */
function segmentLut(n: number, segment: Segment): Float64Array {
  const x = segment.map((s) => s[0] * (n - 1));
  const y0 = segment.map((s) => s[1]);
  const y1 = segment.map((s) => s[2]);
  const lut = new Float64Array(n);
  const step = 1 / (n - 1); // numpy.linspace(0, 1, n): i * step, last element exactly 1
  lut[0] = y1[0]!;
  lut[n - 1] = y0[y0.length - 1]!;
  for (let i = 1; i < n - 1; i++) {
    const xi = (n - 1) * (i * step);
    let ind = 0; // numpy.searchsorted(x, xi), side "left"
    while (ind < x.length && x[ind]! < xi) ind++;
    const distance = (xi - x[ind - 1]!) / (x[ind]! - x[ind - 1]!);
    lut[i] = distance * (y0[ind]! - y1[ind - 1]!) + y1[ind - 1]!;
  }
  for (let i = 0; i < n; i++) lut[i] = Math.min(1, Math.max(0, lut[i]!));
  return lut;
}

/** float in [0, 1] -> byte as matplotlib does with bytes=True: (v * 255).astype(uint8). */
const toByte = (v: number): number => Math.trunc(v * 255);

function buildLut(name: ColormapName): Uint8Array {
  const lut = new Uint8Array(256 * 4);
  const set = (i: number, r: number, g: number, b: number): void => {
    lut[i * 4] = toByte(r);
    lut[i * 4 + 1] = toByte(g);
    lut[i * 4 + 2] = toByte(b);
    lut[i * 4 + 3] = 255;
  };
  if (name === "viridis") {
    const rgb = TABLES.viridis;
    for (let i = 0; i < 256; i++) set(i, rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!);
  } else if (name === "tab20") {
    for (let i = 0; i < 256; i++) {
      const hex = TABLES.tab20[i % 20]!;
      const c = (k: number): number => parseInt(hex.slice(k * 2, k * 2 + 2), 16) / 255;
      set(i, c(0), c(1), c(2));
    }
  } else {
    const data = TABLES[name];
    const r = segmentLut(256, data.red);
    const g = segmentLut(256, data.green);
    const b = segmentLut(256, data.blue);
    for (let i = 0; i < 256; i++) set(i, r[i]!, g[i]!, b[i]!);
  }
  return lut;
}

const cache = new Map<ColormapName, Uint8Array>();

/** Throws TypeError unless `name` is one of {@link COLORMAP_NAMES}. */
export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

/** The 256-entry RGBA table of a colour map (256 * 4 bytes, alpha 255). Returns a fresh copy. */
export function colormapLut(name: ColormapName): Uint8Array {
  if (!isColormapName(name)) throw new TypeError(`unknown colour map "${String(name)}"`);
  let lut = cache.get(name);
  if (!lut) {
    lut = buildLut(name);
    cache.set(name, lut);
  }
  return lut.slice();
}

/** Options of {@link colorize}. */
export type ColorizeOptions = {
  /**
   * Opacity of every output pixel, 0..1 (0.5 for the reference's 50 % overlays).
   * @default 1
   */
  alpha?: number;
  /**
   * Make pixels whose value is 0 fully transparent (masks and label overlays).
   * @default false
   */
  transparentZero?: boolean;
};

/**
 * Colours an 8-bit map: value v gets entry v of the map. Returns RGBA, 4 bytes per value,
 * ready for ImageData or encodePng(..., 4).
 */
export function colorize(values: Uint8Array, name: ColormapName, options: ColorizeOptions = {}): Uint8ClampedArray {
  if (!(values instanceof Uint8Array)) throw new TypeError("colorize needs a Uint8Array of 8-bit values");
  const alpha = options.alpha ?? 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  let lut = cache.get(name);
  if (!lut) {
    colormapLut(name);
    lut = cache.get(name)!;
  }
  const a = Math.round(alpha * 255);
  const words = new Uint32Array(256);
  const view = new DataView(words.buffer);
  for (let v = 0; v < 256; v++) {
    const alphaV = options.transparentZero && v === 0 ? 0 : a;
    // Write bytes in memory order R, G, B, A whatever the platform's endianness.
    view.setUint8(v * 4, lut[v * 4]!);
    view.setUint8(v * 4 + 1, lut[v * 4 + 1]!);
    view.setUint8(v * 4 + 2, lut[v * 4 + 2]!);
    view.setUint8(v * 4 + 3, alphaV);
  }
  const out = new Uint8ClampedArray(values.length * 4);
  const out32 = new Uint32Array(out.buffer);
  for (let i = 0; i < values.length; i++) out32[i] = words[values[i]!]!;
  return out;
}
