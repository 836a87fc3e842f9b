import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ingestFiles, type IngestFile, type IngestLimits } from "~/server/datasets/ingest-files";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import * as testImages from "~/server/codecs/__tests__/test-images";
import { blobStore } from "~/server/storage";
import { seedDataset, storedCounts } from "./ingest-fixtures";
import { writeZip, type TestZipEntry } from "./zip-writer";

type Seeded = Awaited<ReturnType<typeof seedDataset>>;

function ingest(seeded: Seeded, files: IngestFile[], limits?: Partial<IngestLimits>) {
  return ingestFiles({
    db,
    blobs: blobStore(),
    projectId: seeded.project.id,
    datasetId: seeded.dataset.id,
    userId: seeded.user.id,
    files,
    limits,
  });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Runs a rejected upload and checks it stored nothing: no row, no blob file, no audit event. */
async function expectRejectedAndNothingStored(files: IngestFile[], limits?: Partial<IngestLimits>) {
  const seeded = await seedDataset(db);
  const before = await storedCounts(db);
  const results = await ingest(seeded, files, limits);
  expect(await storedCounts(db)).toEqual(before);
  expect(await db.image.count({ where: { datasetId: seeded.dataset.id } })).toBe(0);
  return results;
}

describe("ingestFiles: accepted formats", () => {
  it("stores a PNG: row facts, original and thumbnail blobs, audit event", async () => {
    const seeded = await seedDataset(db);
    const png = await testImages.pngRgb(300, 200, 1);
    const before = await storedCounts(db);
    const [result] = await ingest(seeded, [{ name: "cell-a.png", bytes: png }]);
    expect(result).toMatchObject({ fileName: "cell-a.png", status: "stored" });
    // The original and its thumbnail: proves the blob counter used below sees the store's files.
    expect(await storedCounts(db)).toEqual({
      images: before.images + 1,
      blobFiles: before.blobFiles + 2,
      auditEvents: before.auditEvents + 1,
    });

    const image = await db.image.findUniqueOrThrow({ where: { id: result?.imageId ?? "" } });
    expect(image).toMatchObject({
      projectId: seeded.project.id,
      datasetId: seeded.dataset.id,
      fileName: "cell-a.png",
      format: "png",
      width: 300,
      height: 200,
      bitDepth: 8,
      channels: 3,
      pageCount: 1,
      pixelSizeUm: null,
      sha256: sha256(png),
      blobKey: `sha256/${sha256(png)}`,
      byteSize: png.length,
      uploadedById: seeded.user.id,
    });
    expect((await blobStore().get(image.blobKey)).equals(png)).toBe(true);
    const thumbnail = await sharp(await blobStore().get(image.thumbnailKey)).metadata();
    expect(thumbnail).toMatchObject({ format: "png", width: 256, height: 171 });

    const audit = await db.auditEvent.findMany({ where: { action: "image.upload", targetId: image.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      projectId: seeded.project.id,
      actorId: seeded.user.id,
      targetType: "Image",
    });
  });

  it("stores a JPEG, an 8-bit TIFF and a BMP with their formats and sizes", async () => {
    const seeded = await seedDataset(db);
    const bmp = testImages.encodeBmp({ width: 12, height: 8, rgb: testImages.redOverBlue(12, 8, 2), bitsPerPixel: 24 });
    const results = await ingest(seeded, [
      { name: "b.jpg", bytes: await testImages.jpegRgb(64, 48, 2) },
      { name: "c.tif", bytes: await testImages.tiffGrey8(50, 40, 2) },
      { name: "d.bmp", bytes: bmp },
    ]);
    expect(results.map((result) => result.status)).toEqual(["stored", "stored", "stored"]);
    const images = await db.image.findMany({
      where: { datasetId: seeded.dataset.id },
      orderBy: { fileName: "asc" },
    });
    expect(
      images.map(({ format, width, height, bitDepth, channels }) => ({
        format,
        width,
        height,
        bitDepth,
        channels,
      })),
    ).toEqual([
      { format: "jpeg", width: 64, height: 48, bitDepth: 8, channels: 3 },
      { format: "tiff", width: 50, height: 40, bitDepth: 8, channels: 1 },
      { format: "bmp", width: 12, height: 8, bitDepth: 8, channels: 3 },
    ]);
  });

  it("stores a 16-bit FEI TIFF with its pixel size and a windowed thumbnail", async () => {
    const seeded = await seedDataset(db);
    const tiff = testImages.encodeGreyTiff({
      width: 320,
      height: 240,
      samples: testImages.deep16Samples(320, 240, 5000, 200),
      textTags: [{ tag: 34682, text: testImages.FEI_TEXT, nulTerminated: false }],
    });
    const [result] = await ingest(seeded, [{ name: "sem.tif", bytes: tiff }]);
    const image = await db.image.findUniqueOrThrow({ where: { id: result?.imageId ?? "" } });
    expect(image).toMatchObject({ format: "tiff", bitDepth: 16, channels: 1, pixelSizeUm: 0.134896 });
    expect(image.metadata).toMatchObject({
      pixelSizeSource: "FEI tag 34682 [Scan] PixelWidth",
      instrument: { model: "Quanta FEG", acceleratingVoltageKv: 5 },
      thumbnailWindow: { min: 5000, max: 5199 },
    });
    const stats = await sharp(await blobStore().get(image.thumbnailKey)).stats();
    expect(stats.channels[0]?.max).toBeGreaterThanOrEqual(245);
  });

  it("stores the first page of a multi-page TIFF and says so", async () => {
    const seeded = await seedDataset(db);
    const [result] = await ingest(seeded, [{ name: "stack.tif", bytes: await testImages.multiPageTiff(40, 30, 3, 3) }]);
    expect(result).toMatchObject({
      status: "stored",
      note: "This TIFF has 3 pages; only the first page is used.",
    });
    const image = await db.image.findUniqueOrThrow({ where: { id: result?.imageId ?? "" } });
    expect(image).toMatchObject({ pageCount: 3, width: 40, height: 30 });
    expect(image.metadata).toMatchObject({ firstPageOnly: true });
  });

  it("expands a zip: each entry gets its own result named archive/path", async () => {
    const seeded = await seedDataset(db);
    const zip = writeZip([
      { name: "day1/", method: "store" },
      { name: "day1/a.png", data: await testImages.pngRgb(30, 20, 4) },
      { name: "day1/b.jpg", data: await testImages.jpegRgb(30, 20, 4), method: "store" },
      { name: "readme.txt", data: Buffer.from("sample notes") },
    ]);
    const results = await ingest(seeded, [{ name: "scans.zip", bytes: zip }]);
    expect(results.map(({ fileName, status, error }) => ({ fileName, status, error }))).toEqual([
      { fileName: "scans.zip/day1/a.png", status: "stored", error: undefined },
      { fileName: "scans.zip/day1/b.jpg", status: "stored", error: undefined },
      {
        fileName: "scans.zip/readme.txt",
        status: "rejected",
        error: "Not a supported image: expected PNG, JPEG, TIFF or BMP.",
      },
    ]);
    expect(await db.image.count({ where: { datasetId: seeded.dataset.id } })).toBe(2);
  });

  it("reports a duplicate (across requests and within one) and keeps the first image", async () => {
    const seeded = await seedDataset(db);
    const png = await testImages.pngRgb(40, 40, 5);
    const [first] = await ingest(seeded, [{ name: "first.png", bytes: png }]);
    const before = await storedCounts(db);
    const results = await ingest(seeded, [
      { name: "again.png", bytes: png },
      { name: "copy.png", bytes: Buffer.from(png) },
    ]);
    for (const [index, name] of ["again.png", "copy.png"].entries()) {
      expect(results[index]).toEqual({
        fileName: name,
        status: "duplicate",
        imageId: first?.imageId,
        note: 'Already in this dataset as "first.png".',
      });
    }
    expect(await storedCounts(db)).toEqual(before);
  });

  it("stores the same bytes again in another dataset, sharing the blob", async () => {
    const first = await seedDataset(db);
    const second = await seedDataset(db);
    const png = await testImages.pngRgb(40, 40, 6);
    await ingest(first, [{ name: "x.png", bytes: png }]);
    const blobsBefore = (await storedCounts(db)).blobFiles;
    const [result] = await ingest(second, [{ name: "x.png", bytes: png }]);
    expect(result?.status).toBe("stored");
    expect((await storedCounts(db)).blobFiles).toBe(blobsBefore);
  });

  it("stores the good files of a request that also holds bad ones", async () => {
    const seeded = await seedDataset(db);
    const results = await ingest(seeded, [
      { name: "good-1.png", bytes: await testImages.pngRgb(20, 20, 7) },
      { name: "empty.png", bytes: Buffer.alloc(0) },
      { name: "good-2.jpg", bytes: await testImages.jpegRgb(20, 20, 7) },
    ]);
    expect(results.map((result) => result.status)).toEqual(["stored", "rejected", "stored"]);
    expect(await db.image.count({ where: { datasetId: seeded.dataset.id } })).toBe(2);
  });
});

describe("ingestFiles: bad input gets a clear per-file error and stores nothing", () => {
  /** An archive `name` holding a good PNG ("fine.png", made with `seed`), then `entry`. */
  const zipAfterFinePng = async (name: string, seed: number, entry: TestZipEntry): Promise<IngestFile> => ({
    name,
    bytes: writeZip([{ name: "fine.png", data: await testImages.pngRgb(10, 10, seed) }, entry]),
  });
  /** One upload each; the file must come back rejected under its own name with exactly `error`. */
  const rejectedUploads: {
    title: string;
    file: () => Promise<IngestFile>;
    limits?: Partial<IngestLimits>;
    error: string;
  }[] = [
    {
      title: "not an image",
      file: async () => ({ name: "notes.png", bytes: Buffer.from("lab notes, not pixels") }),
      error: "Not a supported image: expected PNG, JPEG, TIFF or BMP.",
    },
    {
      title: "truncated file",
      file: async () => {
        const png = await testImages.pngRgb(400, 300, 8);
        return { name: "cut.png", bytes: png.subarray(0, Math.floor(png.length / 2)) };
      },
      error: "The image is truncated or corrupt and could not be read.",
    },
    {
      title: "0 bytes",
      file: async () => ({ name: "empty.tif", bytes: Buffer.alloc(0) }),
      error: "The file is empty (0 bytes).",
    },
    {
      title: "over the size limit",
      file: async () => ({ name: "huge.png", bytes: Buffer.alloc(2048) }),
      limits: { maxFileBytes: 1024 },
      error: "The file is 2 KiB; the limit is 1 KiB per file.",
    },
    {
      title: "decompression bomb: declared dimensions over the pixel limit (default 400 megapixels)",
      file: async () => ({ name: "bomb.png", bytes: await testImages.pngDeclaring(50_000, 50_000) }),
      error: "The image declares 50000 × 50000 pixels (2500 megapixels); the limit is 400 megapixels.",
    },
    {
      title: 'zip with a path escaping its folder ("../x.png")',
      file: async () => zipAfterFinePng("evil.zip", 9, { name: "../x.png", data: await testImages.pngRgb(10, 10, 10) }),
      error:
        'The archive contains the path "../x.png", which points outside the archive\'s folder. Nothing from the archive was stored.',
    },
    {
      title: "zip with an absolute path",
      file: async () =>
        zipAfterFinePng("abs.zip", 11, { name: "/tmp/x.png", data: await testImages.pngRgb(10, 10, 12) }),
      error: 'The archive contains the absolute path "/tmp/x.png". Nothing from the archive was stored.',
    },
    {
      title: "nested zip",
      file: async () => {
        const inner = writeZip([{ name: "a.png", data: await testImages.pngRgb(10, 10, 13) }]);
        return zipAfterFinePng("outer.zip", 14, { name: "inner.zip", data: inner });
      },
      error:
        'The archive contains another archive ("inner.zip"); archives inside archives are not expanded. Upload the inner archive on its own. Nothing from the archive was stored.',
    },
    {
      title: "zip bomb: an entry inflating beyond its declared size",
      file: () =>
        zipAfterFinePng("bomb.zip", 15, { name: "bomb.tif", data: Buffer.alloc(4 * 1024 * 1024), declaredSize: 100 }),
      error:
        'The archive entry "bomb.tif" inflates to more bytes than it declares; the archive is corrupt or malicious. Nothing from the archive was stored.',
    },
    {
      title: "zip expanding beyond the archive limit",
      file: async () => ({
        name: "big.zip",
        bytes: writeZip([
          { name: "a.tif", data: Buffer.alloc(800 * 1024) },
          { name: "b.tif", data: Buffer.alloc(800 * 1024) },
        ]),
      }),
      limits: { maxZipTotalBytes: 1024 * 1024 },
      error:
        "The archive expands to more than 1 MiB, the limit for one archive; split it into smaller archives. Nothing from the archive was stored.",
    },
  ];

  it.each(rejectedUploads)("$title", async ({ file, limits, error }) => {
    const upload = await file();
    const results = await expectRejectedAndNothingStored([upload], limits);
    expect(results).toEqual([{ fileName: upload.name, status: "rejected", error }]);
  });

  it("a dataset of another project: NOT_FOUND, whatever the caller claims", async () => {
    const mine = await seedDataset(db);
    const theirs = await seedDataset(db);
    const before = await storedCounts(db);
    const error = await ingestFiles({
      db,
      blobs: blobStore(),
      projectId: mine.project.id,
      datasetId: theirs.dataset.id,
      userId: mine.user.id,
      files: [{ name: "a.png", bytes: await testImages.pngRgb(10, 10, 16) }],
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
    expect(await storedCounts(db)).toEqual(before);
  });
});
