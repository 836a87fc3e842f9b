/**
 * What a COCO import does with regions an image already has: the request names one mode, the
 * import panel explains each with these words. Pure (client and server).
 */
export const COCO_IMPORT_MODES = ["merge", "replace"] as const;
export type CocoImportMode = (typeof COCO_IMPORT_MODES)[number];
export const DEFAULT_COCO_IMPORT_MODE: CocoImportMode = "merge";

export const COCO_IMPORT_MODE_TEXT: Readonly<Record<CocoImportMode, { label: string; explain: string }>> = {
  merge: {
    label: "Merge",
    explain:
      "Adds the file's regions; a region identical to one the image already has (same class, same shape) is skipped and counted.",
  },
  replace: {
    label: "Replace",
    explain:
      "Removes every region of the images named in the file (whoever drew them), then imports the file's regions.",
  },
};

export function isCocoImportMode(value: unknown): value is CocoImportMode {
  return typeof value === "string" && (COCO_IMPORT_MODES as readonly string[]).includes(value);
}
