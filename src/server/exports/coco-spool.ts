/**
 * One COCO document streamed with bounded memory. COCO lists every image before every annotation,
 * so images are yielded page by page while annotations are spooled to a temporary file and
 * appended at the end. Ids are numbered 1, 2, … in the order things are added.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The Image columns every COCO image entry needs (besides the file name and dataset). */
export const COCO_IMAGE_FIELDS = { width: true, height: true, sha256: true } as const;

/**
 * An entry of "images": COCO's own fields of `image`, then the document's extras under
 * `visual_ccc` (ignored by COCO tools).
 */
export function cocoImageEntry(
  id: number,
  image: { fileName: string; width: number; height: number },
  visualCcc: Record<string, unknown>,
) {
  return { id, file_name: image.fileName, width: image.width, height: image.height, visual_ccc: visualCcc };
}

/** Flush spooled annotations past this many characters (big masks' runs are long). */
const FLUSH_CHARS = 1 << 20;

/** What heads a document: its `info` (description, format version, date) and its categories. */
export type CocoHeader = { description: string; version: string; now?: Date; categories: unknown[] };

export async function openCocoSpool(options: CocoHeader, tempPrefix: string) {
  const header = {
    info: {
      description: options.description,
      version: options.version,
      date_created: (options.now ?? new Date()).toISOString(),
    },
    licenses: [],
    categories: options.categories,
  };
  const directory = await mkdtemp(path.join(os.tmpdir(), tempPrefix));
  const annotationsPath = path.join(directory, "annotations.json-part");
  const annotationsFile = await open(annotationsPath, "w");
  let imageCount = 0;
  let annotationCount = 0;
  let images = "";
  let annotations = "";
  const flushAnnotations = async () => {
    if (annotations) await annotationsFile.write(annotations);
    annotations = "";
  };
  return {
    /** The document's start: the header's fields, then the opening of "images". */
    head: () => `${JSON.stringify(header).slice(0, -1)},"images":[`,
    /** Adds an image built for its id; returns the id. */
    addImage(build: (id: number) => unknown): number {
      imageCount++;
      images += `${imageCount > 1 ? "," : ""}${JSON.stringify(build(imageCount))}`;
      return imageCount;
    },
    async addAnnotation(build: (id: number) => unknown): Promise<void> {
      annotationCount++;
      annotations += `${annotationCount > 1 ? "," : ""}${JSON.stringify(build(annotationCount))}`;
      if (annotations.length > FLUSH_CHARS) await flushAnnotations();
    },
    /** The images added since the last call (yield it), with their annotations spooled. */
    async takeImages(): Promise<string> {
      await flushAnnotations();
      const chunk = images;
      images = "";
      return chunk;
    },
    /**
     * The rest of the document: the spooled annotations and the closing brackets; `visualCcc`,
     * when given, after the annotations as the document's own extras (what it left out...).
     */
    async *tail(visualCcc?: Record<string, unknown>): AsyncGenerator<string | Buffer> {
      await flushAnnotations();
      await annotationsFile.close();
      yield `],"annotations":[`;
      for await (const chunk of createReadStream(annotationsPath)) yield chunk as Buffer;
      yield visualCcc ? `],"visual_ccc":${JSON.stringify(visualCcc)}}` : "]}";
    },
    async close(): Promise<void> {
      await annotationsFile.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
