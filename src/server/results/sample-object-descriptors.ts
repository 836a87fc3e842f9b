/**
 * results.objectDescriptors: one object descriptor's values per image (with the image's tags),
 * for histograms per condition, from the object set each image reports under the settings
 * version. Bounded: at most `maxPerImage` values per image and {@link DESCRIPTOR_VALUES_MAX} in
 * all (the per-image share shrinks when the scope has many images); an image with more objects
 * is sampled evenly over all its objects (every record, from the blob when the row holds only
 * the first ones), and the answer says how many objects there were and how many were sampled.
 * In µm, images without a pixel size are left out (and counted).
 */
import "server-only";
import {
  descriptorFactor,
  descriptorUnit,
  evenSampleIndices,
  type ObjectDescriptor,
} from "~/core/results/object-descriptors";
import type { ImageTagValue } from "~/server/conditions/find-image-tags";
import { findImageTags } from "~/server/conditions/find-image-tags";
import { exportImagePages, exportImagesWhere } from "~/server/exports/export-scope";
import { findReportedObjectSets } from "~/server/objects/find-newest-object-sets";
import { labelPixelSizeOf } from "~/server/objects/object-set-dto";
import { convertLength } from "~/server/objects/pixel-size";
import { readObjectRecords } from "~/server/objects/read-object-records";
import { blobStore, type BlobStore } from "~/server/storage";
import { resolveResultsScope, type ResultsScopeInput } from "./results-scope";

/** Values answered at most, over all images. */
export const DESCRIPTOR_VALUES_MAX = 100_000;

export type DescriptorImage = {
  imageId: string;
  datasetId: string;
  dataset: string;
  file: string;
  tags: Record<string, ImageTagValue>;
  /** Objects of the image's set (all of them, sampled or not). */
  objectCount: number;
  values: number[];
};

export type DescriptorSample = {
  settingsVersion: number;
  descriptor: ObjectDescriptor;
  unit: string | null;
  /** The most values taken from one image (min(maxPerImage, DESCRIPTOR_VALUES_MAX / images)). */
  perImageLimit: number;
  /** Objects of the images answered, and how many values were sampled from them. */
  totalObjects: number;
  sampledValues: number;
  /** Images with an object set but no pixel size, left out of a µm answer. */
  imagesWithoutPixelSize: number;
  images: DescriptorImage[];
};

export async function sampleObjectDescriptors(
  options: ResultsScopeInput & {
    descriptor: ObjectDescriptor;
    unit: "px" | "µm";
    maxPerImage: number;
    store?: BlobStore;
  },
): Promise<DescriptorSample> {
  const { db, projectId, descriptor, unit } = options;
  const store = options.store ?? blobStore();
  const { scope, settings } = await resolveResultsScope(options);
  const withSets =
    settings.id === null
      ? 0
      : await db.settingsResult.count({
          where: { projectId, settingsId: settings.id, objectSetId: { not: null }, image: exportImagesWhere(scope) },
        });
  const perImageLimit = Math.max(
    1,
    Math.min(options.maxPerImage, Math.floor(DESCRIPTOR_VALUES_MAX / Math.max(1, withSets))),
  );
  const answer: DescriptorSample = {
    settingsVersion: settings.version,
    descriptor,
    unit: descriptorUnit(descriptor, unit),
    perImageLimit,
    totalObjects: 0,
    sampledValues: 0,
    imagesWithoutPixelSize: 0,
    images: [],
  };
  if (withSets === 0) return answer;
  const pages = exportImagePages({
    db,
    scope,
    pageSize: 200,
    select: {
      fileName: true,
      datasetId: true,
      dataset: { select: { name: true } },
      width: true,
      pixelSizeUm: true,
      pixelSizeUnit: true,
    },
  });
  for await (const images of pages) {
    const imageIds = images.map((image) => image.id);
    const [sets, tags] = await Promise.all([
      findReportedObjectSets({ db, projectId, settings, imageIds }),
      findImageTags({ db, projectId, imageIds }),
    ]);
    for (const image of images) {
      const set = sets.get(image.id);
      if (!set) continue;
      let factor = 1;
      if (unit === "µm") {
        const pixel = labelPixelSizeOf(image, set.width);
        if (!pixel) {
          answer.imagesWithoutPixelSize++;
          continue;
        }
        factor = descriptorFactor(descriptor, convertLength(pixel.value, pixel.unit, "µm"));
      }
      const records = set.count === 0 ? [] : await readObjectRecords(set, store);
      const values: number[] = [];
      for (const index of evenSampleIndices(records.length, perImageLimit)) {
        const value = (records[index] as Record<string, unknown> | undefined)?.[descriptor];
        if (typeof value === "number" && Number.isFinite(value)) values.push(Number((value * factor).toPrecision(7)));
      }
      answer.totalObjects += set.count;
      answer.sampledValues += values.length;
      answer.images.push({
        imageId: image.id,
        datasetId: image.datasetId,
        dataset: image.dataset.name,
        file: image.fileName,
        tags: tags.get(image.id) ?? {},
        objectCount: set.count,
        values,
      });
    }
  }
  return answer;
}
