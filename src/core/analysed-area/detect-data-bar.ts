/**
 * Finds an instrument data bar at the bottom of a micrograph: the band FEI/Thermo, Zeiss, JEOL
 * and Hitachi SEMs burn into the saved image (acquisition date, HV, magnification, a scale bar).
 * Used for PNG/JPEG, and for TIFFs whose metadata does not say how tall the scanned image is.
 *
 * What a data bar looks like, and what this checks (rows are read bottom-up):
 * - Every row of the band is "flat": at least FLAT_ROW_SHARE of its pixels sit within
 *   FLAT_TOLERANCE grey levels of the row's most common value (black or white/grey background,
 *   drawn digitally, so without the shot noise a micrograph has). Rows crossing text stay flat:
 *   text is sparse.
 * - The band is separated from the micrograph by a sharp horizontal edge: the top rows of the
 *   band are nearly empty (a border line or plain background, EDGE_ROW_SHARE), and the rows just
 *   above it are markedly less flat (EDGE_JUMP): no gradual transition, as a shadow would have.
 *   The edge taken is the highest one from which every row down to the bottom is flat (text rows
 *   inside the bar, followed by empty rows, form edges of their own); empty rows of the band's
 *   background just above it mean the edge lies inside a band taller than allowed: none found.
 * - The micrograph above is not itself flat (a dark, uniform specimen with sparse bright
 *   particles would otherwise look like one tall bar): few of the rows above the band are flat.
 * - The band is drawn on one background colour: the rows' most common values agree
 *   (MIN_BACKGROUND_ROW_SHARE), where a smooth specimen's background drifts.
 * - The band holds text or a logo: some pixels far from the row's background (INK_CONTRAST),
 *   in at least MIN_INK_ROWS rows. A plain band without any (letterbox padding) is not a data bar.
 * - Its height lies between MIN_BAR_ROWS and MAX_BAR_SHARE of the image (FEI: about 7 %).
 * A natural micrograph's bottom rows carry noise and texture, so they are not flat; the detector
 * returns 0 for them.
 */
import { assertGreyImage, type GreyImage } from "../analysis/raster";

/** Options of {@link detectDataBar}. */
export type DetectDataBarOptions = {
  /**
   * Tallest band considered, as a share of the image height.
   * @default 0.35
   */
  maxBarShare?: number;
};

/** Grey levels a background pixel may differ from its row's most common value (JPEG ringing). */
const FLAT_TOLERANCE = 10;
/** Share of a row's pixels near its most common value for the row to count as flat. */
const FLAT_ROW_SHARE = 0.45;
/** Share near the background of the band's top rows (border or empty margin above the text). */
const EDGE_ROW_SHARE = 0.85;
/** The rows just above the band are at least this much less flat than its top rows: a sharp edge. */
const EDGE_JUMP = 0.2;
/** Rows of the band's top edge and of the image just above it that are checked. */
const EDGE_ROWS = 2;
/** Share of the band's rows that may cross text or a logo (not flat). */
const MAX_TEXT_ROW_SHARE = 0.25;
/** Share of the band's rows whose most common value is the band's background. */
const MIN_BACKGROUND_ROW_SHARE = 0.8;
/** Rows above the edge searched for more of the band (the edge would then be inside it). */
const LOOK_ABOVE_ROWS = 8;
/** A band shorter than this is a border line, not a data bar. */
const MIN_BAR_ROWS = 4;
/** At most this share of the rows above the band may be flat. */
const MAX_FLAT_SHARE_ABOVE = 0.2;
/** Text pixels differ from the background by at least this many grey levels. */
const INK_CONTRAST = 60;
/** Rows of the band that must carry text. */
const MIN_INK_ROWS = 2;
/** Images shorter than this have no room for a data bar and a micrograph. */
const MIN_IMAGE_ROWS = 16;

type RowProfile = {
  /** The row's most common value. */
  mode: number;
  /** Share of pixels within FLAT_TOLERANCE of the row's most common value. */
  flatShare: number;
  /** Pixels at least INK_CONTRAST from the row's most common value. */
  inkPixels: number;
};

/**
 * The number of rows at the bottom of `grey` that form an instrument data bar, or 0 when there is
 * none (see the module comment for what counts as one).
 */
export function detectDataBar(grey: GreyImage, options: DetectDataBarOptions = {}): number {
  assertGreyImage(grey);
  const maxBarShare = options.maxBarShare ?? 0.35;
  if (!(maxBarShare > 0 && maxBarShare < 1)) {
    throw new RangeError(`maxBarShare must be in (0, 1), got ${maxBarShare}`);
  }
  const { height } = grey;
  if (height < MIN_IMAGE_ROWS) return 0;
  const maxBarRows = Math.floor(height * maxBarShare);

  const profiles = new Map<number, RowProfile>();
  const profile = (row: number): RowProfile => {
    let found = profiles.get(row);
    if (found === undefined) {
      found = rowProfile(grey, row);
      profiles.set(row, found);
    }
    return found;
  };

  // The band's top edge: the highest row within reach that is an edge and from which down at most
  // MAX_TEXT_ROW_SHARE of the rows are not flat.
  const lowest = Math.max(EDGE_ROWS + 1, height - maxBarRows);
  let top = -1;
  let textRows = 0;
  for (let row = height - 1; row >= lowest; row -= 1) {
    if (profile(row).flatShare < FLAT_ROW_SHARE) textRows += 1;
    if (textRows > MAX_TEXT_ROW_SHARE * (height - row) + 1) continue;
    if (row <= height - MIN_BAR_ROWS && isEdge(row, profile)) top = row;
  }
  if (top < 0) return 0;
  // A border line softened by resampling sits between the image and the band: it goes with the band.
  if (profile(top - 1).flatShare >= imageFlatShare(top, profile) + EDGE_JUMP) top -= 1;
  const barRows = height - top;

  const background = bandBackground(top, height, profile);
  if (background === null) return 0;
  // Empty rows of the same background just above: the edge found is inside a taller band.
  for (let row = top - 1; row >= Math.max(0, top - LOOK_ABOVE_ROWS); row -= 1) {
    const { mode, flatShare } = profile(row);
    if (flatShare >= EDGE_ROW_SHARE && Math.abs(mode - background) <= FLAT_TOLERANCE) return 0;
  }

  let inkRows = 0;
  for (let row = top; row < height; row += 1) if (profile(row).inkPixels > 0) inkRows += 1;
  if (inkRows < MIN_INK_ROWS) return 0;

  // The image above the band: sample at least 16 rows, spread over its whole height.
  const step = Math.max(1, Math.floor(top / Math.max(barRows, 16)));
  let sampled = 0;
  let flatAbove = 0;
  for (let row = top - 1; row >= 0; row -= step) {
    sampled += 1;
    if (profile(row).flatShare >= EDGE_ROW_SHARE) flatAbove += 1;
  }
  return flatAbove / sampled <= MAX_FLAT_SHARE_ABOVE ? barRows : 0;
}

/** Rows `row` and below are empty bar background; the rows above it are image. */
function isEdge(row: number, profile: (row: number) => RowProfile): boolean {
  let band = 1;
  for (let offset = 0; offset < EDGE_ROWS; offset += 1) band = Math.min(band, profile(row + offset).flatShare);
  return band >= EDGE_ROW_SHARE && imageFlatShare(row, profile) <= band - EDGE_JUMP;
}

/**
 * The band's background value, or null unless the band is drawn on one background colour: most
 * of its rows have their most common value within FLAT_TOLERANCE of the band's median one
 * (border lines may differ; rows crossing text, which are not flat, are not counted).
 */
function bandBackground(top: number, height: number, profile: (row: number) => RowProfile): number | null {
  const modes: number[] = [];
  for (let row = top; row < height; row += 1) {
    const { mode, flatShare } = profile(row);
    if (flatShare >= FLAT_ROW_SHARE) modes.push(mode);
  }
  const sorted = [...modes].sort((a, b) => a - b);
  const background = sorted[Math.floor(sorted.length / 2)]!;
  const onBackground = modes.filter((mode) => Math.abs(mode - background) <= FLAT_TOLERANCE).length;
  return onBackground >= MIN_BACKGROUND_ROW_SHARE * modes.length ? background : null;
}

/**
 * The flattest of the EDGE_ROWS image rows above an edge at `row`. Row - 1 is skipped: it may be
 * a transition row (a border line blurred by resampling).
 */
function imageFlatShare(row: number, profile: (row: number) => RowProfile): number {
  let image = 0;
  for (let offset = 0; offset < EDGE_ROWS; offset += 1) image = Math.max(image, profile(row - 2 - offset).flatShare);
  return image;
}

function rowProfile(grey: GreyImage, row: number): RowProfile {
  const { width, data } = grey;
  const histogram = new Uint32Array(256);
  const start = row * width;
  for (let i = start; i < start + width; i += 1) histogram[data[i]!]! += 1;
  let mode = 0;
  for (let value = 1; value < 256; value += 1) if (histogram[value]! > histogram[mode]!) mode = value;
  let flat = 0;
  let ink = 0;
  for (let value = 0; value < 256; value += 1) {
    const distance = Math.abs(value - mode);
    if (distance <= FLAT_TOLERANCE) flat += histogram[value]!;
    else if (distance >= INK_CONTRAST) ink += histogram[value]!;
  }
  return { mode, flatShare: flat / width, inkPixels: ink };
}
