/**
 * The coloured overlays of the analysis every image reports under the export's settings version
 * (its SettingsResult) as a zip of PNGs, one folder per
 * image: "<dataset>/<file>_<imageId>/<map>.png". Images are read a page at a time and each map is
 * coloured and written before the next is read, so memory stays one map. Images with a pixel
 * size get a scale bar burnt into each map.
 */
import { listAnalysisMaps } from "~/server/analysis/analysis-maps";
import { mapRectOf } from "~/server/analysis/cam-frame";
import type { Db } from "~/server/db";
import type { BlobStore } from "~/server/storage";
import type { ReportedSettings } from "~/server/settings/settings-results";
import { exportImagePages, type ExportScope } from "./export-scope";
import { pixelSizeOf } from "~/server/objects/pixel-size";
import { renderOverlayPng } from "./render-overlay-png";
import { writeZip, type ZipEntry } from "./zip-writer";
import { PIXEL_SIZE_FIELDS } from "~/server/objects/pixel-size";

/** A path segment safe in every unzip tool: no separators, no dot-dot, no control characters. */
export function safeSegment(value: string): string {
  const cleaned = value
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_")
    .replace(/^\.+/, "_")
    .trim();
  return cleaned.slice(0, 120) || "_";
}

/** Matches no settings row: version 0 (never saved) has no results. */
const NO_SETTINGS = "-";

async function* overlayEntries(options: {
  db: Db;
  blobs: BlobStore;
  scope: ExportScope;
  settings: ReportedSettings;
  pageSize: number;
}): AsyncGenerator<ZipEntry> {
  const { db, scope } = options;
  const pages = exportImagePages({
    db,
    scope,
    pageSize: options.pageSize,
    select: {
      fileName: true,
      width: true,
      height: true,
      ...PIXEL_SIZE_FIELDS,
      dataset: { select: { name: true } },
      settingsResults: {
        where: { settingsId: options.settings.id ?? NO_SETTINGS },
        select: { analysis: { select: { mapKeys: true, createdAt: true } } },
      },
    },
  });
  for await (const images of pages) {
    for (const image of images) {
      const analysis = image.settingsResults[0]?.analysis;
      if (!analysis) continue;
      const stem = image.fileName
        .split("/")
        .pop()!
        .replace(/\.[^.]+$/, "");
      const folder = `${safeSegment(image.dataset.name)}/${safeSegment(stem)}_${image.id}`;
      const pixelSize = pixelSizeOf(image);
      for (const map of listAnalysisMaps(analysis.mapKeys)) {
        const png = await options.blobs.get(map.ref.key);
        yield {
          name: `${folder}/${safeSegment(map.name)}.png`,
          bytes: await renderOverlayPng({
            png,
            role: map.role,
            k: map.k,
            // The CAM covers the classifier's crop or the analysed area; every other map the whole image.
            scale: pixelSize && { pixelSize, coveredWidth: mapRectOf(map, image).width },
          }),
          modified: analysis.createdAt,
        };
      }
    }
  }
}

export function streamOverlaysZip(options: {
  db: Db;
  blobs: BlobStore;
  scope: ExportScope;
  settings: ReportedSettings;
  pageSize?: number;
}): AsyncGenerator<Uint8Array> {
  return writeZip(overlayEntries({ ...options, pageSize: options.pageSize ?? 50 }));
}
