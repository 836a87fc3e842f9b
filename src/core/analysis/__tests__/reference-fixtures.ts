import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The reference fixtures; the first three are copied into the repo, the others live in shared/. */
export const REFERENCE_FIXTURES = [
  "sk_coins",
  "sk_cell",
  "gaas_nanowires",
  "ag_dendrites",
  "li_plated_3mAh",
  "li_plated_8mAh",
] as const;
export type ReferenceFixtureName = (typeof REFERENCE_FIXTURES)[number];

const COPIED: readonly ReferenceFixtureName[] = ["sk_coins", "sk_cell", "gaas_nanowires"];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
/** shared/ sits beside the repo (CI clones it there). */
export const sharedRoot = path.resolve(repoRoot, "../shared");

/** reference.json as written by the reference app. */
export type ReferenceJson = {
  otsu_threshold: number;
  kmeans_inertia: Record<"2" | "3" | "4" | "5" | "10", number>;
  target0_percent_k3: number;
  gray_shape: [number, number];
  segmentation_s: number;
  texture_s: number;
  kmeans_k3_s: number;
  gradcam_s: number;
  total_s: number;
};

/** Folder of a fixture, or undefined when it is not available on this machine. */
export function fixtureDir(name: ReferenceFixtureName): string | undefined {
  const candidates = COPIED.includes(name)
    ? [path.join(repoRoot, "tests/fixtures/reference", name), path.join(sharedRoot, "fixtures/reference", name)]
    : [path.join(sharedRoot, "fixtures/reference", name)];
  return candidates.find((dir) => existsSync(path.join(dir, "reference.json")));
}

export function fixtureInput(dir: string): string {
  for (const ext of ["png", "jpg", "jpeg", "tif", "tiff", "bmp"]) {
    const file = path.join(dir, `input.${ext}`);
    if (existsSync(file)) return file;
  }
  throw new Error(`no input image in ${dir}`);
}

export function readReferenceJson(dir: string): ReferenceJson {
  return JSON.parse(readFileSync(path.join(dir, "reference.json"), "utf8")) as ReferenceJson;
}

export const REFERENCE_KS = [2, 3, 4, 5, 10] as const;
