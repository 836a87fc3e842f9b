/**
 * The condition tags an uploaded image is stored with: the microscope's (HV, magnification,
 * working distance, detector, pixel size; source "metadata"), then those the confirmed pattern
 * reads from the file's relative path (source "path"), which win for a key both give.
 * A path the pattern does not fit stores the image without path tags and says why.
 */
import "server-only";
import { metadataTags } from "~/core/conditions/metadata-tags";
import { applyPattern, type CompiledPattern } from "~/core/conditions/path-pattern";
import { TAG_LIMITS, type TagValue } from "~/core/conditions/tags";
import type { ImageProbe } from "~/server/codecs/probe-image";
import { tagRowColumns, tagValueOfRow, type TagRowColumns } from "./tag-rows";

export type UploadTags = { rows: TagRowColumns[]; values: TagValue[]; pathError: string | null };

export function uploadTags(options: {
  probe: Pick<ImageProbe, "metadata" | "pixelSizeUm">;
  relativePath: string;
  pattern: CompiledPattern | null;
}): UploadTags {
  const fromMetadata = metadataTags({
    instrument: options.probe.metadata.instrument,
    pixelSizeUm: options.probe.pixelSizeUm,
  });
  const applied = options.pattern ? applyPattern(options.pattern, options.relativePath) : null;
  const fromPath = applied?.ok ? applied.tags : [];
  const pathKeys = new Set(fromPath.map((tag) => tag.key));
  const rows = [
    ...fromMetadata.filter((tag) => !pathKeys.has(tag.key)).map((tag) => tagRowColumns(tag, "metadata")),
    ...fromPath.map((tag) => tagRowColumns(tag, "path")),
  ].slice(-TAG_LIMITS.maxTagsPerImage);
  return {
    rows,
    values: rows.map((row) => ({ key: row.key, value: tagValueOfRow(row), unit: row.unit })),
    pathError: applied && !applied.ok ? `No conditions from the path: ${applied.error}` : null,
  };
}
