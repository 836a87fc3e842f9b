/**
 * Condition tags from an upload's relative path ("li_plated/8mAh_1cycle/Image3.png").
 *
 * A pattern names the last levels of the path, separated by "/": `{capacity}_{cycles}/*` means
 * "the folder holding the file is <capacity>_<cycles>, the file is anything". In a level,
 * `{key}` takes a value (the shortest text that lets the rest match), `*` any text, and
 * everything else must be there as written (case-insensitively). Levels above the pattern's are
 * ignored. A value that reads as a number with a unit ("8mAh", "1 cycle") becomes a number
 * (8, "mAh"; 1 with no unit for cycles), anything else a text.
 *
 * suggestPattern proposes a pattern from the paths themselves: every "<number><unit>" token of
 * the folder and file names becomes `{key}` by its unit (mAh -> capacity, cycles -> cycles,
 * mA/cm2 -> current density, kV -> hv...; an unknown unit names itself), the rest `*`. The
 * person uploading sees what it gives for each file and edits it before anything is stored.
 */
import { isKnownUnit, isPlausibleUnit, parseQuantity, unitMeaning } from "./quantity";
import { imageTagsSchema, normaliseTagKey, tagKeySchema, tagValueSchema, type TagValue } from "./tags";

export const PATTERN_LIMITS = { maxLength: 300, maxLevels: 16, maxPartsPerLevel: 8, maxPathLength: 1024 } as const;

export type CompiledPattern = {
  source: string;
  levels: { source: string; regex: RegExp; keys: string[] }[];
};

/** A pattern that cannot be read; `message` is written for the person who typed it. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatternError";
  }
}

export type PathTagsResult = { ok: true; tags: TagValue[] } | { ok: false; error: string };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The levels of a path or pattern: "/" or "\" separated, empty ones dropped. */
export function pathLevels(path: string): string[] {
  return path.split(/[/\\]/).filter((level) => level !== "" && level !== ".");
}

/** Reads a pattern; throws PatternError with what is wrong ("{} needs a name", "unclosed {"...). */
export function compilePattern(pattern: string): CompiledPattern {
  const source = pattern.trim();
  if (source === "") throw new PatternError("The pattern is empty: name at least one condition, e.g. {capacity}/*.");
  if (source.length > PATTERN_LIMITS.maxLength) {
    throw new PatternError(`The pattern has more than ${PATTERN_LIMITS.maxLength} characters.`);
  }
  const levelSources = pathLevels(source);
  if (levelSources.length > PATTERN_LIMITS.maxLevels) {
    throw new PatternError(`The pattern has more than ${PATTERN_LIMITS.maxLevels} levels.`);
  }
  const seen = new Set<string>();
  const levels = levelSources.map((level) => compileLevel(level, seen));
  if (seen.size === 0) {
    throw new PatternError("The pattern names no condition: put one in braces, e.g. {capacity}/*.");
  }
  return { source: levelSources.join("/"), levels };
}

function compileLevel(level: string, seen: Set<string>): CompiledPattern["levels"][number] {
  const parts = level.split(/(\{[^{}]*\}|\*+)/).filter((part) => part !== "");
  if (parts.length > PATTERN_LIMITS.maxPartsPerLevel * 2) {
    throw new PatternError(
      `The level "${level}" has too many parts (at most ${PATTERN_LIMITS.maxPartsPerLevel} conditions or *).`,
    );
  }
  const keys: string[] = [];
  let regex = "";
  let previous: "key" | "star" | "text" | null = null;
  for (const part of parts) {
    if (/^\{[^{}]*\}$/.test(part)) {
      const key = tagKeySchema.safeParse(part.slice(1, -1));
      if (!key.success) throw new PatternError(`${part}: ${key.error.issues[0]?.message ?? "not a condition name"}`);
      if (seen.has(key.data)) throw new PatternError(`The condition {${key.data}} appears twice in the pattern.`);
      if (previous === "key" || previous === "star") {
        throw new PatternError(
          `In "${level}", put some text between ${part} and what comes before it (e.g. {capacity}_{cycles}).`,
        );
      }
      seen.add(key.data);
      keys.push(key.data);
      regex += "(.+?)";
      previous = "key";
    } else if (/^\*+$/.test(part)) {
      if (previous === "key") {
        throw new PatternError(`In "${level}", put some text between a condition and * (e.g. {sample}_*).`);
      }
      regex += ".*";
      previous = "star";
    } else {
      if (/[{}]/.test(part))
        throw new PatternError(`In "${level}", a { or } has no partner: write conditions as {name}.`);
      regex += escapeRegex(part);
      previous = "text";
    }
  }
  return { source: level, regex: new RegExp(`^${regex}$`, "iu"), keys };
}

/** The value of a condition as found in a name: a number (with its unit) or a text. */
export function tagFromText(key: string, text: string): TagValue | { error: string } {
  const quantity = parseQuantity(text);
  const candidate =
    quantity === null
      ? { key, value: text, unit: null }
      : {
          key,
          value: quantity.value,
          unit: quantity.unit === null ? null : unitMeaning(quantity.unit, quantity.value).unit,
        };
  const parsed = tagValueSchema.safeParse(candidate);
  return parsed.success
    ? parsed.data
    : { error: `{${key}} = "${text}": ${parsed.error.issues[0]?.message ?? "invalid"}` };
}

const describeLevels = (count: number) =>
  count === 1 ? "a file name" : `${count - 1} folder${count === 2 ? "" : "s"} and a file name`;

/** Applies a compiled pattern to one relative path; a path it does not fit gets an error that says where. */
export function applyPattern(pattern: CompiledPattern, path: string): PathTagsResult {
  if (path.length > PATTERN_LIMITS.maxPathLength) {
    return { ok: false, error: `The path has more than ${PATTERN_LIMITS.maxPathLength} characters.` };
  }
  const levels = pathLevels(path);
  const count = pattern.levels.length;
  if (levels.length < count) {
    return {
      ok: false,
      error: `"${path}" has ${describeLevels(levels.length)}; the pattern "${pattern.source}" needs ${describeLevels(count)}.`,
    };
  }
  const tags: TagValue[] = [];
  const tail = levels.slice(levels.length - count);
  for (const [index, level] of pattern.levels.entries()) {
    const name = tail[index]!;
    const match = level.regex.exec(name);
    if (!match) {
      const what = index === count - 1 ? "The file name" : "The folder";
      return { ok: false, error: `${what} "${name}" does not match "${level.source}" (pattern "${pattern.source}").` };
    }
    for (const [position, key] of level.keys.entries()) {
      const tag = tagFromText(key, match[position + 1]!.trim());
      if ("error" in tag) return { ok: false, error: tag.error };
      tags.push(tag);
    }
  }
  const bounded = imageTagsSchema.safeParse(tags);
  if (!bounded.success) return { ok: false, error: bounded.error.issues[0]?.message ?? "Too many conditions." };
  return { ok: true, tags };
}

/** compilePattern + applyPattern for one path; a bad pattern is an error result too. */
export function tagsFromPath(pattern: string, path: string): PathTagsResult {
  try {
    return applyPattern(compilePattern(pattern), path);
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, error: error.message };
    throw error;
  }
}

// ---------- automatic suggestion ----------

/** What separates words in a folder or file name (not "-" or ",": "-20C", "0,5mAh"). */
const SEPARATORS = /([_\s;()[\]+&]+)/;

/** `{key}` for a token that is a number with a plausible unit, else null. */
function tokenKey(token: string, taken: Set<string>): string | null {
  const quantity = parseQuantity(token);
  if (quantity === null || quantity.unit === null || !isPlausibleUnit(quantity.unit)) return null;
  const key = normaliseTagKey(unitMeaning(quantity.unit, quantity.value).key);
  if (taken.has(key) || !tagKeySchema.safeParse(key).success) return null;
  taken.add(key);
  return key;
}

/** "8mAh-1cycle": every "-" part a number with a known unit, else null. */
function dashedKeys(token: string, taken: Set<string>): string | null {
  const parts = token.split("-");
  if (parts.length < 2 || parts.some((part) => part === "")) return null;
  const allKnown = parts.every((part) => {
    const quantity = parseQuantity(part);
    return quantity?.unit != null && isKnownUnit(quantity.unit);
  });
  if (!allKnown) return null;
  const keys = parts.map((part) => tokenKey(part, taken));
  return keys.every((key) => key !== null) ? keys.map((key) => `{${key}}`).join("-") : null;
}

/** The pattern of one level: tokens that name a condition become `{key}`, other words `*`. */
function levelTemplate(level: string, taken: Set<string>): string {
  const pieces = level.split(SEPARATORS);
  const out: string[] = [];
  for (let index = 0; index < pieces.length; index += 2) {
    const word = pieces[index]!;
    const separator = pieces[index + 1] ?? "";
    const next = pieces[index + 2];
    // "1 cycle", "5 kV": a bare number, a space, a known unit.
    if (/^\s+$/.test(separator) && next !== undefined && /^\d+(?:[.,]\d+)?$/.test(word) && isKnownUnit(next)) {
      const key = tokenKey(`${word}${next}`, taken);
      if (key !== null) {
        out.push(`{${key}}`, pieces[index + 3] ?? "");
        index += 2;
        continue;
      }
    }
    const key = tokenKey(word, taken);
    out.push(key !== null ? `{${key}}` : word === "" ? "" : (dashedKeys(word, taken) ?? "*"), separator);
  }
  // Words that name nothing, and what separates them, collapse into one "*".
  return out
    .join("")
    .replace(/\*(?:[_\s;()[\]+&]*\*)+/g, "*")
    .replace(/^[_\s;()[\]+&]*\*[_\s;()[\]+&]*$/, "*");
}

function pathTemplate(path: string): string | null {
  const levels = pathLevels(path);
  if (levels.length === 0) return null;
  const taken = new Set<string>();
  const fileName = levels.at(-1)!;
  const dot = fileName.lastIndexOf(".");
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  // Deepest first, so a key the file name gives is the file name's.
  const fileTemplate = levelTemplate(stem, taken);
  const folders = levels
    .slice(0, -1)
    .reverse()
    .map((level) => levelTemplate(level, taken))
    .reverse();
  const file = fileTemplate === "*" ? "*" : `${fileTemplate}${dot > 0 ? ".*" : ""}`;
  const all = [...folders, file];
  // Levels above the first that names a condition are left out: the pattern is right-anchored.
  const first = all.findIndex((level) => level.includes("{"));
  return first === -1 ? null : all.slice(first).join("/");
}

/**
 * The pattern the most paths suggest (ties: the first path's), or null when no name holds a
 * "<number><unit>" token. At most `sample` paths are looked at.
 */
export function suggestPattern(paths: readonly string[], sample = 2000): string | null {
  const counts = new Map<string, number>();
  for (const path of paths.slice(0, sample)) {
    const template = pathTemplate(path);
    if (template !== null) counts.set(template, (counts.get(template) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [template, count] of counts) if (best === null || count > counts.get(best)!) best = template;
  return best;
}

/** The tags the automatic suggestion finds in one path (its own suggested pattern applied to it). */
export function suggestPathTags(path: string): TagValue[] {
  const pattern = suggestPattern([path]);
  if (pattern === null) return [];
  const result = tagsFromPath(pattern, path);
  return result.ok ? result.tags : [];
}
