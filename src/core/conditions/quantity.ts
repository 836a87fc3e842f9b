/**
 * "8mAh", "1 cycle", "0.5mA/cm2", "10kV", "25C": a number with a unit, and which condition a unit
 * usually names (mAh -> capacity, cycles -> cycles, kV -> hv). Pure.
 */

export type Quantity = { value: number; unit: string | null };

/** A unit as written: starts with a letter, µ, ° or %; then letters, digits and / ^ . - µ ° %. */
const UNIT = /^[\p{L}µ°%][\p{L}\p{N}µ°%/^.·-]{0,15}$/u;
const QUANTITY = /^([-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*(.*)$/s;

/** The number and unit of `text`, or null when it is not one ("Image3", "1000-1A", "EC-DMC"). */
export function parseQuantity(text: string): Quantity | null {
  const match = QUANTITY.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]!.replace(",", "."));
  if (!Number.isFinite(value)) return null;
  const unit = match[2]!;
  if (unit === "") return { value, unit: null };
  return UNIT.test(unit) ? { value, unit } : null;
}

type UnitMeaning = { key: string; unit: string | null };

/** Units as written (exact case first) -> the condition they name and the unit kept. */
const UNITS_EXACT: Record<string, UnitMeaning> = {
  M: { key: "concentration", unit: "M" },
  mM: { key: "concentration", unit: "mM" },
  V: { key: "voltage", unit: "V" },
  mV: { key: "voltage", unit: "mV" },
  kV: { key: "hv", unit: "kV" },
  mA: { key: "current", unit: "mA" },
  µA: { key: "current", unit: "µA" },
  uA: { key: "current", unit: "µA" },
};

/** The same, case-insensitively (keys in lower case). */
const UNITS_ANY_CASE: Record<string, UnitMeaning> = {
  mah: { key: "capacity", unit: "mAh" },
  "mah/cm2": { key: "areal capacity", unit: "mAh/cm2" },
  "mah/cm^2": { key: "areal capacity", unit: "mAh/cm2" },
  "mahcm-2": { key: "areal capacity", unit: "mAh/cm2" },
  cycle: { key: "cycles", unit: null },
  cycles: { key: "cycles", unit: null },
  cyc: { key: "cycles", unit: null },
  "ma/cm2": { key: "current density", unit: "mA/cm2" },
  "ma/cm^2": { key: "current density", unit: "mA/cm2" },
  "macm-2": { key: "current density", unit: "mA/cm2" },
  macm2: { key: "current density", unit: "mA/cm2" },
  kv: { key: "hv", unit: "kV" },
  "°c": { key: "temperature", unit: "°C" },
  degc: { key: "temperature", unit: "°C" },
  h: { key: "time", unit: "h" },
  hr: { key: "time", unit: "h" },
  hrs: { key: "time", unit: "h" },
  hour: { key: "time", unit: "h" },
  hours: { key: "time", unit: "h" },
  min: { key: "time", unit: "min" },
  mins: { key: "time", unit: "min" },
  x: { key: "magnification", unit: "x" },
  "wt%": { key: "wt%", unit: "wt%" },
  "vol%": { key: "vol%", unit: "vol%" },
  mpa: { key: "pressure", unit: "MPa" },
  kpa: { key: "pressure", unit: "kPa" },
  psi: { key: "pressure", unit: "psi" },
};

/**
 * Below this a bare "C" is a C-rate (0.5C, 2C); from it on, a temperature in °C (25C, 60C).
 * Battery folders use both; the user confirms the pattern either way.
 */
const C_RATE_BELOW = 15;

/** Suffixes that follow a number without naming a condition ("1st", "3D", "16bit", "512px", "4k"). */
const NOT_UNITS = new Set(["st", "nd", "rd", "th", "d", "bit", "bits", "px", "k", "kb", "mb", "gb"]);

/** Whether `unit` is one the table knows (automatic suggestions only trust these and plain-looking ones). */
export function isKnownUnit(unit: string): boolean {
  return unit in UNITS_EXACT || unit.toLowerCase() in UNITS_ANY_CASE || unit === "C" || unit === "c";
}

/** Whether an unknown `unit` may still name a condition in an automatic suggestion ("5rpm" yes, "1st" no). */
export function isPlausibleUnit(unit: string): boolean {
  return isKnownUnit(unit) || (/^[\p{L}µ°%][\p{L}µ°%/]{0,7}$/u.test(unit) && !NOT_UNITS.has(unit.toLowerCase()));
}

/** The condition a unit names and the unit kept; an unknown unit names itself (key "rpm", unit "rpm"). */
export function unitMeaning(unit: string, value: number): UnitMeaning {
  if (unit === "C" || unit === "c") {
    return value < C_RATE_BELOW ? { key: "c-rate", unit: "C" } : { key: "temperature", unit: "°C" };
  }
  return UNITS_EXACT[unit] ?? UNITS_ANY_CASE[unit.toLowerCase()] ?? { key: unit.toLowerCase(), unit };
}
