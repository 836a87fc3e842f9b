/**
 * Stores uploaded files as Images of one dataset: zips are expanded (entry by entry to a
 * temporary folder under DATA_DIR, never whole in memory), every file is validated (probeImage:
 * header-only checks, then a full decode while making the thumbnail), and only then are the
 * bytes and the thumbnail put in the BlobStore and the row written. Each file gets its own
 * result: one bad file never blocks the good ones, and a rejected file stores nothing.
 *
 * Probing, hashing and thumbnailing run in the heavy-work threads (src/server/workers): the
 * request only awaits them. A zip entry goes to the thread as a path (the thread reads it), so a
 * rejected entry is never read into this process at all.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { AnalysedAreaRecord } from "~/core/analysed-area/analysed-area";
import type { CompiledPattern } from "~/core/conditions/path-pattern";
import type { TagValue } from "~/core/conditions/tags";
import { uploadTags, type UploadTags } from "~/server/conditions/upload-tags";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import { changeProject } from "~/server/audit/record-change";
import { expandZipToDirectory, ZipRejectedError, type ExpandZipOptions } from "~/server/datasets/expand-zip";
import type { Db } from "~/server/db";
import { dataDir, serverEnv } from "~/server/env";
import { AppError, isUniqueViolation } from "~/server/errors";
import { projectChannel, publishEvent } from "~/server/events";
import { IMAGE_ERROR_MESSAGE, ImageProbeError, type ImageProbe } from "~/server/codecs/probe-image";
import type { BlobStore } from "~/server/storage";
import type { ByteSource, DecodeLimits } from "~/server/workers/heavy-tasks";
import { bytesSource, decodeLimits, runHeavyTask } from "~/server/workers/heavy-pool";

export type IngestResult = {
  /** The uploaded name; zip entries are named "archive.zip/inner/path.png". */
  fileName: string;
  status: "stored" | "duplicate" | "rejected";
  /** The stored image, or for a duplicate the image already holding these bytes. */
  imageId?: string;
  /** Why the file was rejected, written for the person who uploaded it. */
  error?: string;
  /** Something worth knowing about a stored or duplicate file (first page only, same as...). */
  note?: string;
  /** The condition tags stored with a new image (from its path and the microscope's metadata). */
  tags?: TagValue[];
};

export type IngestLimits = {
  /** Largest file (a zip counts as one file, and so does each of its entries). */
  maxFileBytes: number;
  /** Largest image, in pixels of its first page, as declared in its header. */
  maxPixels: number;
  /** Most entries in one zip. */
  maxZipEntries: number;
  /** Most bytes one zip may expand to. */
  maxZipTotalBytes: number;
  /** Largest decoded first page held in memory while making a thumbnail (BMPs are decoded whole). */
  maxDecodedBytes: number;
};

/** `relativePath`: where the file sat in an uploaded folder ("8mAh/1 cycle/a.tif"), for condition tags. */
export type IngestFile = { name: string; bytes: Buffer; relativePath?: string };

/** 10 000 micrographs in one archive is a big session; more is more likely an attack. */
const DEFAULT_MAX_ZIP_ENTRIES = 10_000;
const MAX_FILE_NAME_LENGTH = 255;

export const INGEST_ERROR_MESSAGE = {
  internal: "The server could not store this file; please try again.",
  duplicateNote: (existingName: string) => `Already in this dataset as "${existingName}".`,
  firstPageOnly: (pageCount: number) => `This TIFF has ${pageCount} pages; only the first page is used.`,
} as const;

export async function ingestFiles(options: {
  db: Db;
  blobs: BlobStore;
  projectId: string;
  datasetId: string;
  userId: string;
  files: IngestFile[];
  /** Defaults from the environment (UPLOAD_MAX_BYTES, UPLOAD_MAX_PIXELS). */
  limits?: Partial<IngestLimits>;
  /** The confirmed pattern that reads condition tags from each file's relative path (none: no path tags). */
  pathPattern?: CompiledPattern | null;
}): Promise<IngestResult[]> {
  const dataset = await options.db.dataset.findFirst({
    where: { id: options.datasetId, projectId: options.projectId },
    select: { id: true },
  });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");

  const env = serverEnv();
  const limits: IngestLimits = {
    maxFileBytes: env.UPLOAD_MAX_BYTES,
    maxPixels: env.UPLOAD_MAX_PIXELS,
    maxZipEntries: DEFAULT_MAX_ZIP_ENTRIES,
    // An archive may expand to as much as one file may weigh (on disk, one entry at a time).
    maxZipTotalBytes: env.UPLOAD_MAX_BYTES,
    maxDecodedBytes: env.DECODE_MAX_BYTES,
    ...options.limits,
  };
  const target: StoreTarget = {
    db: options.db,
    blobs: options.blobs,
    projectId: options.projectId,
    datasetId: dataset.id,
    userId: options.userId,
    limits,
    pathPattern: options.pathPattern ?? null,
  };

  const results: IngestResult[] = [];
  // One file at a time: decoding is CPU- and memory-heavy, and the order of results then
  // follows the order of the upload.
  for (const file of options.files) {
    const fileName = cleanFileName(file.name);
    const relativePath = file.relativePath ? cleanPath(file.relativePath) : fileName;
    if (isZipName(fileName)) {
      results.push(...(await ingestZip(target, fileName, file.bytes, relativePath)));
    } else {
      results.push(await ingestOne(target, fileName, { bytes: file.bytes }, relativePath));
    }
  }
  // One event for the whole upload, after every image committed with its own audit row
  // (changeProject in createImageRow): subscribers reload the dataset once instead of once per file.
  await publishEvent({
    db: options.db,
    channel: projectChannel(options.projectId),
    event: {
      type: "images.uploaded",
      projectId: options.projectId,
      datasetId: dataset.id,
      count: results.filter((r) => r.status === "stored").length,
      actorId: options.userId,
    },
  });
  return results;
}

type StoreTarget = {
  db: Db;
  blobs: BlobStore;
  projectId: string;
  datasetId: string;
  userId: string;
  limits: IngestLimits;
  pathPattern: CompiledPattern | null;
};

async function ingestZip(
  target: StoreTarget,
  zipName: string,
  bytes: Buffer,
  zipPath: string,
): Promise<IngestResult[]> {
  const rejected = (error: string): IngestResult[] => [{ fileName: zipName, status: "rejected", error }];
  if (bytes.length === 0) return rejected(IMAGE_ERROR_MESSAGE.empty);
  if (bytes.length > target.limits.maxFileBytes) {
    return rejected(IMAGE_ERROR_MESSAGE.tooLarge(bytes.length, target.limits.maxFileBytes));
  }
  const zipLimits: ExpandZipOptions = {
    maxEntries: target.limits.maxZipEntries,
    maxTotalBytes: target.limits.maxZipTotalBytes,
  };
  const scratch = path.join(dataDir(), "tmp");
  await mkdir(scratch, { recursive: true });
  const directory = await mkdtemp(path.join(scratch, "upload-zip-"));
  try {
    let entries;
    try {
      entries = await expandZipToDirectory(bytes, directory, zipLimits);
    } catch (error) {
      if (error instanceof ZipRejectedError) return rejected(error.message);
      console.error(`ingestFiles: expanding "${zipName}" failed`, error);
      return rejected(INGEST_ERROR_MESSAGE.internal);
    }
    const results: IngestResult[] = [];
    for (const entry of entries) {
      // Entries sit where the archive sat: "batch/8mAh/a.png" for "batch/run.zip" holding "8mAh/a.png".
      const entryPath = cleanPath(path.posix.join(path.posix.dirname(zipPath.replaceAll("\\", "/")), entry.path));
      results.push(await ingestOne(target, cleanPath(`${zipName}/${entry.path}`), { file: entry.file }, entryPath));
    }
    return results;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A file of the upload: its bytes, or a zip entry expanded to disk. */
type UploadedFile = { bytes: Buffer } | { file: string };

/** The file as a task source: bytes are copied to the thread, a file the thread reads itself. */
function taskSource(file: UploadedFile): { source: ByteSource; transfer?: ArrayBuffer[] } {
  return "file" in file ? { source: { file: file.file } } : bytesSource(file.bytes);
}

async function ingestOne(
  target: StoreTarget,
  fileName: string,
  file: UploadedFile,
  relativePath: string,
): Promise<IngestResult> {
  try {
    const limits = decodeLimits({
      maxBytes: target.limits.maxFileBytes,
      maxPixels: target.limits.maxPixels,
      maxDecodedBytes: target.limits.maxDecodedBytes,
    });
    const probing = taskSource(file);
    const { probe, sha256, byteSize } = await runHeavyTask(
      "image.probe",
      { source: probing.source, limits },
      { transfer: probing.transfer },
    );
    const existing = await findInDataset(target, sha256);
    if (existing) return duplicateResult(fileName, existing);

    // Decodes the whole first page: truncated or corrupt data is refused here, before storing.
    const thumbnailing = taskSource(file);
    const thumbnail = await runHeavyTask(
      "image.thumbnail",
      { source: thumbnailing.source, limits, probe },
      { transfer: thumbnailing.transfer },
    );
    const analysedArea = await findUploadAnalysedArea(file, limits, probe);
    // Only a file about to be stored is read into this process.
    const bytes = "file" in file ? await readFile(file.file) : file.bytes;
    const original = await target.blobs.put(bytes);
    const thumbnailBlob = await target.blobs.put(new Uint8Array(thumbnail.png));
    const tags = uploadTags({ probe, relativePath, pattern: target.pathPattern });
    const imageId = await createImageRow(target, {
      fileName,
      probe,
      blobKey: original.key,
      sha256,
      byteSize,
      thumbnailKey: thumbnailBlob.key,
      thumbnailWindow: thumbnail.window,
      analysedArea,
      tags,
    });
    if (imageId === null) {
      // The same bytes were stored by a concurrent upload between our lookup and our insert.
      const winner = await findInDataset(target, sha256);
      if (winner) return duplicateResult(fileName, winner);
      throw new Error(`Unique violation on ${sha256} but no image holds it`);
    }
    const result: IngestResult = { fileName, status: "stored", imageId };
    if (probe.pageCount > 1) result.note = INGEST_ERROR_MESSAGE.firstPageOnly(probe.pageCount);
    if (tags.rows.length > 0) result.tags = tags.values;
    if (tags.pathError) result.note = [result.note, tags.pathError].filter(Boolean).join(" ");
    return result;
  } catch (error) {
    if (error instanceof ImageProbeError) return { fileName, status: "rejected", error: error.message };
    // The heavy-work queue is full: the whole request answers 429 and the client sends it again
    // (files stored before this one then come back as duplicates).
    if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") throw error;
    // Anything else is our fault, not the file's: log it, and keep going with the other files.
    console.error(`ingestFiles: storing "${fileName}" failed`, error);
    return { fileName, status: "rejected", error: INGEST_ERROR_MESSAGE.internal };
  }
}

/**
 * The analysed area (the file's metadata, else a data bar found in its pixels). Best effort: an
 * image the analysis cannot decode (a 5-channel TIFF) is still stored, whole; its analyses say why.
 */
async function findUploadAnalysedArea(
  file: UploadedFile,
  limits: DecodeLimits,
  probe: ImageProbe,
): Promise<AnalysedAreaRecord | null> {
  const { source, transfer } = taskSource(file);
  try {
    return await runHeavyTask("image.analysedArea", { source, limits, probe }, { transfer });
  } catch (error) {
    if (error instanceof ImageAnalysisError) return null;
    throw error;
  }
}

function findInDataset(target: StoreTarget, sha256: string) {
  return target.db.image.findUnique({
    where: { datasetId_sha256: { datasetId: target.datasetId, sha256 } },
    select: { id: true, fileName: true },
  });
}

function duplicateResult(fileName: string, existing: { id: string; fileName: string }): IngestResult {
  return {
    fileName,
    status: "duplicate",
    imageId: existing.id,
    note: INGEST_ERROR_MESSAGE.duplicateNote(existing.fileName),
  };
}

/** Inserts the Image and its audit event together; null when the bytes are already there. */
async function createImageRow(
  target: StoreTarget,
  image: {
    fileName: string;
    probe: ImageProbe;
    blobKey: string;
    sha256: string;
    byteSize: number;
    thumbnailKey: string;
    thumbnailWindow: { min: number; max: number } | null;
    analysedArea: AnalysedAreaRecord | null;
    tags: UploadTags;
  },
): Promise<string | null> {
  const { probe } = image;
  try {
    const scope = { db: target.db, projectId: target.projectId, actorId: target.userId };
    // No event per image: one "images.uploaded" announces the whole upload (see ingestFiles).
    const record = {
      action: "image.upload",
      target: (created: { id: string }) => ({ type: "Image", id: created.id }),
      data: { datasetId: target.datasetId, fileName: image.fileName, sha256: image.sha256 },
    } as const;
    const created = await changeProject(scope, record, (tx) =>
      tx.image.create({
        data: {
          projectId: target.projectId,
          datasetId: target.datasetId,
          fileName: image.fileName,
          blobKey: image.blobKey,
          sha256: image.sha256,
          byteSize: image.byteSize,
          thumbnailKey: image.thumbnailKey,
          format: probe.format,
          width: probe.width,
          height: probe.height,
          bitDepth: probe.bitDepth,
          channels: probe.channels,
          pageCount: probe.pageCount,
          pixelSizeUm: probe.pixelSizeUm,
          metadata: image.thumbnailWindow
            ? { ...probe.metadata, thumbnailWindow: image.thumbnailWindow }
            : probe.metadata,
          analysedArea: image.analysedArea ?? undefined,
          uploadedById: target.userId,
          tags: { create: image.tags.rows.map((row) => ({ ...row, projectId: target.projectId })) },
        },
        select: { id: true },
      }),
    );
    return created.id;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

function isZipName(fileName: string): boolean {
  return fileName.toLowerCase().endsWith(".zip");
}

/** Browsers send a bare name, but old ones sent "C:\fakepath\x.png"; keep the last segment. */
function cleanFileName(name: string): string {
  const lastSegment = name.split(/[/\\]/).pop() ?? "";
  return cleanPath(lastSegment) || "unnamed";
}

/** No control characters in stored names, and a bounded length (names end up in the UI). */
function cleanPath(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, MAX_FILE_NAME_LENGTH);
}
