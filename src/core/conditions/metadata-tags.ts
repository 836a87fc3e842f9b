/**
 * Condition tags from what the microscope wrote into the file (FEI/Thermo Fisher and Zeiss TIFF
 * tags, read by src/server/codecs/pixel-size.ts into Image.metadata.instrument): accelerating
 * voltage, magnification, working distance, detector, and the pixel size. Pure.
 */
import { tagValueSchema, type TagValue } from "./tags";

/** The instrument facts as stored (InstrumentMetadata of the codecs). */
export type InstrumentFacts = Readonly<Record<string, string | number>>;

const NUMBER_FACTS: { fact: string; key: string; unit: string | null }[] = [
  { fact: "acceleratingVoltageKv", key: "hv", unit: "kV" },
  { fact: "magnification", key: "magnification", unit: "x" },
  { fact: "workingDistanceMm", key: "working distance", unit: "mm" },
];

/** Tags for the facts present (a fact of the wrong type or out of bounds is left out). */
export function metadataTags(options: {
  instrument: InstrumentFacts | null | undefined;
  pixelSizeUm: number | null;
}): TagValue[] {
  const { instrument } = options;
  if (!instrument) return [];
  const candidates: unknown[] = NUMBER_FACTS.filter(({ fact }) => typeof instrument[fact] === "number").map(
    ({ fact, key, unit }) => ({ key, value: instrument[fact], unit }),
  );
  if (typeof instrument.detector === "string") candidates.push({ key: "detector", value: instrument.detector });
  // Only with instrument facts: a pixel size from a PNG's density is not microscope metadata.
  if (options.pixelSizeUm !== null) {
    candidates.push({ key: "pixel size", value: Number((options.pixelSizeUm * 1000).toPrecision(6)), unit: "nm" });
  }
  return candidates.flatMap((candidate) => {
    const parsed = tagValueSchema.safeParse(candidate);
    return parsed.success ? [parsed.data] : [];
  });
}
