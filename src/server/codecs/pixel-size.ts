/**
 * Physical pixel size recorded in an image file, in micrometres, plus the few instrument facts
 * that come with it. Sources, most trusted first:
 *  1. FEI / Thermo Fisher SEM text tags (34682 FEI_HELIOS, 34680 FEI_SFEG): INI text whose
 *     [Scan] PixelWidth is in metres. These files also carry a meaningless screen resolution
 *     (56 px/cm in our sample), so the vendor tag must win over the resolution tags.
 *  2. Zeiss SmartSEM tag 34118 (CZ_SEM): lines such as "Pixel Size = 4.653 nm".
 *  3. ImageJ TIFFs: ImageDescription "unit=micron" with XResolution in pixels per that unit.
 *  4. Resolution tags (TIFF XResolution + ResolutionUnit, PNG pHYs / JPEG JFIF via sharp's
 *     density), only when they imply pixels finer than 10 µm: coarser values are screen or print
 *     resolutions (72, 96, 300 dpi...) that say nothing about the specimen.
 * Everything here is cheap: a bounded walk of the first TIFF directory, no pixel decoding.
 */
import type { ImageFormat } from "./probe-image";

export type InstrumentMetadata = Record<string, string | number>;

export type PixelSizeReading = {
  pixelSizeUm: number | null;
  /** Where pixelSizeUm came from, e.g. "FEI tag 34682 [Scan] PixelWidth"; null when not found. */
  source: string | null;
  /** Set when the file's pixels are not square (pixelSizeUm is then the width). */
  pixelHeightUm?: number;
  instrument?: InstrumentMetadata;
};

const TAG = {
  IMAGE_DESCRIPTION: 270,
  X_RESOLUTION: 282,
  RESOLUTION_UNIT: 296,
  ZEISS_SEM: 34118,
  FEI_SFEG: 34680,
  FEI_HELIOS: 34682,
} as const;

/** Densities coarser than this are display/print settings, not a physical pixel size. */
const MAX_PLAUSIBLE_DENSITY_PIXEL_UM = 10;
const MICROMETRES_PER_INCH = 25_400;
const MICROMETRES_PER_CM = 10_000;

export function readPixelSize(options: {
  bytes: Buffer;
  format: ImageFormat;
  /** sharp's metadata density (pixels per inch), used for PNG and JPEG. */
  densityDpi?: number;
}): PixelSizeReading {
  if (options.format === "tiff") return readTiffPixelSize(options.bytes);
  if (options.densityDpi !== undefined && options.densityDpi > 0) {
    const fromDensity = plausibleDensityPixelSize(MICROMETRES_PER_INCH / options.densityDpi);
    if (fromDensity !== null) {
      return { pixelSizeUm: fromDensity, source: `${options.format} density ${options.densityDpi} dpi` };
    }
  }
  return { pixelSizeUm: null, source: null };
}

function plausibleDensityPixelSize(pixelUm: number): number | null {
  return Number.isFinite(pixelUm) && pixelUm > 0 && pixelUm < MAX_PLAUSIBLE_DENSITY_PIXEL_UM ? pixelUm : null;
}

function readTiffPixelSize(bytes: Buffer): PixelSizeReading {
  const tags = readFirstTiffDirectory(bytes);
  if (tags === null) return { pixelSizeUm: null, source: null };

  for (const tag of [TAG.FEI_HELIOS, TAG.FEI_SFEG]) {
    const text = tags.text(tag);
    if (text !== null) {
      const reading = readFeiText(text, tag);
      if (reading !== null) return reading;
    }
  }

  const zeissText = tags.text(TAG.ZEISS_SEM);
  if (zeissText !== null) {
    const reading = readZeissText(zeissText);
    if (reading !== null) return reading;
  }

  const xResolution = tags.rational(TAG.X_RESOLUTION);
  const description = tags.text(TAG.IMAGE_DESCRIPTION);
  if (description !== null && description.startsWith("ImageJ=") && xResolution !== null) {
    const unitUm = imageJUnitInMicrometres(description);
    if (unitUm !== null && xResolution > 0) {
      return { pixelSizeUm: unitUm / xResolution, source: "ImageJ unit + TIFF XResolution" };
    }
  }

  const resolutionUnit = tags.integer(TAG.RESOLUTION_UNIT) ?? 2; // TIFF default: inch
  const unitUm = resolutionUnit === 2 ? MICROMETRES_PER_INCH : resolutionUnit === 3 ? MICROMETRES_PER_CM : null;
  if (unitUm !== null && xResolution !== null && xResolution > 0) {
    const pixelUm = plausibleDensityPixelSize(unitUm / xResolution);
    if (pixelUm !== null) {
      return { pixelSizeUm: pixelUm, source: "TIFF XResolution + ResolutionUnit" };
    }
  }
  return { pixelSizeUm: null, source: null };
}

// ---------- vendor text tags ----------

/** FEI/Thermo Fisher: "[Section]\nKey=Value" lines; lengths in metres, voltages in volts. */
function readFeiText(text: string, tag: number): PixelSizeReading | null {
  const sections = parseIni(text);
  const scan = sections.get("Scan") ?? sections.get("EScan") ?? sections.get("IScan");
  const pixelWidthM = numberOrNull(scan?.get("PixelWidth"));
  if (pixelWidthM === null || pixelWidthM <= 0) return null;
  const pixelHeightM = numberOrNull(scan?.get("PixelHeight"));

  const instrument: InstrumentMetadata = { vendor: "FEI / Thermo Fisher" };
  const model = sections.get("System")?.get("SystemType");
  if (model) instrument.model = model;
  const beam = sections.get("EBeam") ?? sections.get("Beam");
  const highVoltage = numberOrNull(beam?.get("HV"));
  if (highVoltage !== null) instrument.acceleratingVoltageKv = highVoltage / 1000;
  const workingDistanceM = numberOrNull(beam?.get("WD") ?? sections.get("Stage")?.get("WorkingDistance"));
  if (workingDistanceM !== null) instrument.workingDistanceMm = roundSignificant(workingDistanceM * 1e3);
  const horizontalFieldM = numberOrNull(beam?.get("HFW") ?? scan?.get("HorFieldsize"));
  if (horizontalFieldM !== null) {
    instrument.horizontalFieldWidthUm = roundSignificant(horizontalFieldM * 1e6);
  }
  // FEI writes no magnification: it is the reference display width over the field width.
  const canvasWidthM = numberOrNull(sections.get("Image")?.get("MagCanvasRealWidth"));
  if (canvasWidthM !== null && horizontalFieldM !== null && canvasWidthM > 0 && horizontalFieldM > 0) {
    instrument.magnification = Math.round(canvasWidthM / horizontalFieldM);
  }
  const scannedRows = feiScannedRows(sections, scan);
  if (scannedRows !== null) instrument.imageHeightPx = scannedRows;
  const detector = sections.get("Detectors")?.get("Name");
  if (detector) instrument.detector = detector;
  const user = sections.get("User");
  const date = user?.get("Date");
  if (date) instrument.acquiredAt = [date, user?.get("Time") ?? ""].join(" ").trim();

  const pixelSizeUm = roundSignificant(pixelWidthM * 1e6);
  const reading: PixelSizeReading = {
    pixelSizeUm,
    source: `FEI tag ${tag} [Scan] PixelWidth`,
    instrument,
  };
  if (pixelHeightM !== null && pixelHeightM > 0) {
    const pixelHeightUm = roundSignificant(pixelHeightM * 1e6);
    if (pixelHeightUm !== pixelSizeUm) reading.pixelHeightUm = pixelHeightUm;
  }
  return reading;
}

/**
 * Rows of the scanned image, without the data bar FEI/Thermo append below it: [Image] ResolutionY
 * (1024 in a 1536 x 1103 file), else VerFieldsize / PixelHeight. null when the file says neither.
 */
function feiScannedRows(sections: Map<string, Map<string, string>>, scan: Map<string, string> | undefined) {
  const resolutionY = numberOrNull(sections.get("Image")?.get("ResolutionY"));
  if (resolutionY !== null && Number.isInteger(resolutionY) && resolutionY > 0) return resolutionY;
  const fieldHeightM = numberOrNull(scan?.get("VerFieldsize"));
  const pixelHeightM = numberOrNull(scan?.get("PixelHeight") ?? scan?.get("PixelWidth"));
  if (fieldHeightM === null || pixelHeightM === null || fieldHeightM <= 0 || pixelHeightM <= 0) return null;
  return Math.round(fieldHeightM / pixelHeightM);
}

const ZEISS_PIXEL_SIZE = /Pixel Size\s*=\s*([0-9.]+(?:[eE][-+]?\d+)?)\s*(pm|nm|µm|um|mm)\b/;
const LENGTH_UNIT_IN_MICROMETRES: Record<string, number> = {
  pm: 1e-6,
  nm: 1e-3,
  µm: 1,
  um: 1,
  micron: 1,
  microns: 1,
  mm: 1e3,
  cm: 1e4,
};

/** Zeiss SmartSEM: upper-case parameter names, each followed by a "Label = value unit" line. */
function readZeissText(text: string): PixelSizeReading | null {
  const match = ZEISS_PIXEL_SIZE.exec(text);
  const value = numberOrNull(match?.[1]);
  const unit = LENGTH_UNIT_IN_MICROMETRES[match?.[2] ?? ""];
  if (value === null || value <= 0 || unit === undefined) return null;
  const instrument: InstrumentMetadata = { vendor: "Zeiss" };
  const highVoltage = /EHT\s*=\s*([0-9.]+)\s*kV/.exec(text);
  const kilovolts = numberOrNull(highVoltage?.[1]);
  if (kilovolts !== null) instrument.acceleratingVoltageKv = kilovolts;
  const magnification = /\bMag\s*=\s*([0-9.]+)\s*(K?)\s*X/i.exec(text);
  const magnificationValue = numberOrNull(magnification?.[1]);
  if (magnificationValue !== null) {
    instrument.magnification = roundSignificant(magnificationValue * (magnification?.[2] ? 1000 : 1));
  }
  const workingDistance = /\bWD\s*=\s*([0-9.]+)\s*(mm|µm)/.exec(text);
  const workingDistanceValue = numberOrNull(workingDistance?.[1]);
  if (workingDistanceValue !== null) {
    instrument.workingDistanceMm = roundSignificant(workingDistanceValue * (workingDistance?.[2] === "µm" ? 1e-3 : 1));
  }
  const detector = /\bSignal A\s*=\s*([^\r\n]+)/.exec(text)?.[1]?.trim();
  if (detector) instrument.detector = detector;
  return {
    pixelSizeUm: roundSignificant(value * unit),
    source: "Zeiss tag 34118 Pixel Size",
    instrument,
  };
}

function imageJUnitInMicrometres(description: string): number | null {
  const unit = /^unit=(.+)$/m.exec(description)?.[1]?.trim();
  if (unit === undefined) return null;
  // ImageJ writes µ as the escape "\u00B5" in the description.
  const normalised = unit.replace("\\u00B5", "µ").toLowerCase();
  return LENGTH_UNIT_IN_MICROMETRES[normalised] ?? null;
}

function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set("", current);
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = sections.get(header[1]) ?? new Map<string, string>();
      sections.set(header[1], current);
      continue;
    }
    const separator = line.indexOf("=");
    if (separator > 0) current.set(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  return sections;
}

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Metres -> micrometres leaves float noise (0.134896000001); keep what the instrument wrote. */
function roundSignificant(value: number): number {
  return Number(value.toPrecision(9));
}

// ---------- minimal TIFF directory reader ----------

type TiffTags = {
  text(tag: number): string | null;
  integer(tag: number): number | null;
  rational(tag: number): number | null;
};

type TiffEntry = { type: number; count: number; valueOffset: number };

const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };
/** A real IFD has tens of entries; a huge count means a corrupt or hostile file. */
const MAX_IFD_ENTRIES = 4096;

/**
 * Reads the first image directory of a classic TIFF. BigTIFF and anything malformed yield null
 * or missing tags (pixel size is optional; sharp has already validated the image itself).
 */
function readFirstTiffDirectory(bytes: Buffer): TiffTags | null {
  if (bytes.length < 8) return null;
  const order = bytes.toString("latin1", 0, 2);
  if (order !== "II" && order !== "MM") return null;
  const little = order === "II";
  const u16 = (offset: number) => (little ? bytes.readUInt16LE(offset) : bytes.readUInt16BE(offset));
  const u32 = (offset: number) => (little ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  if (u16(2) !== 42) return null; // 43 = BigTIFF: not worth a second reader for optional tags
  const directory = u32(4);
  if (directory + 2 > bytes.length) return null;
  const entryCount = Math.min(u16(directory), MAX_IFD_ENTRIES);

  const entries = new Map<number, TiffEntry>();
  for (let index = 0; index < entryCount; index += 1) {
    const at = directory + 2 + index * 12;
    if (at + 12 > bytes.length) break;
    entries.set(u16(at), { type: u16(at + 2), count: u32(at + 4), valueOffset: at + 8 });
  }

  /** Values of 4 bytes or fewer sit in the entry itself; larger ones at the offset it holds. */
  const dataOffset = (entry: TiffEntry): number | null => {
    const size = (TIFF_TYPE_SIZE[entry.type] ?? 0) * entry.count;
    if (size === 0) return null;
    const start = size <= 4 ? entry.valueOffset : u32(entry.valueOffset);
    return start + size <= bytes.length ? start : null;
  };

  return {
    text(tag) {
      const entry = entries.get(tag);
      if (!entry || (entry.type !== 2 && entry.type !== 1 && entry.type !== 7)) return null;
      const start = dataOffset(entry);
      if (start === null) return null;
      // Vendors write Latin-1 (Zeiss's µ is 0xB5) and do not always end with a NUL.
      return bytes.toString("latin1", start, start + entry.count).replace(/\0+$/, "");
    },
    integer(tag) {
      const entry = entries.get(tag);
      if (!entry || entry.count < 1) return null;
      if (entry.type === 3) return u16(entry.valueOffset);
      if (entry.type === 4) return u32(entry.valueOffset);
      return null;
    },
    rational(tag) {
      const entry = entries.get(tag);
      if (!entry || entry.type !== 5 || entry.count < 1) return null;
      const start = dataOffset(entry);
      if (start === null) return null;
      const denominator = u32(start + 4);
      return denominator === 0 ? null : u32(start) / denominator;
    },
  };
}
