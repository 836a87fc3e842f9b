import { describe, expect, it } from "vitest";
import { rejectionOf } from "../../../../tests/helpers/rejection";
import { expandZip, ZipRejectedError, type ExpandZipOptions } from "../expand-zip";
import { writeZip, type TestZipEntry } from "./zip-writer";

const limits: ExpandZipOptions = { maxEntries: 100, maxTotalBytes: 1024 * 1024 };
const bytes = (text: string) => Buffer.from(text);

function rejection(entries: TestZipEntry[] | Buffer, options = limits): Promise<ZipRejectedError> {
  const zip = Buffer.isBuffer(entries) ? entries : writeZip(entries);
  return rejectionOf(expandZip(zip, options), ZipRejectedError);
}

describe("expandZip", () => {
  it("returns stored and deflated files with their folder paths, skipping folders and OS litter", async () => {
    const zip = writeZip([
      { name: "run-1/", method: "store" },
      { name: "run-1/a.png", data: bytes("aaaa"), method: "store" },
      { name: "run-1/deep/b.tif", data: Buffer.alloc(5000, 1) },
      { name: "__MACOSX/run-1/._a.png", data: bytes("resource fork") },
      { name: "run-1/.DS_Store", data: bytes("finder") },
    ]);
    const files = await expandZip(zip, limits);
    expect(files.map((file) => file.path)).toEqual(["run-1/a.png", "run-1/deep/b.tif"]);
    expect(files[0]?.bytes.toString()).toBe("aaaa");
    expect(files[1]?.bytes.equals(Buffer.alloc(5000, 1))).toBe(true);
  });

  it('refuses "../" paths', async () => {
    const error = await rejection([
      { name: "ok.png", data: bytes("fine") },
      { name: "../x.png", data: bytes("escape") },
    ]);
    expect(error.reason).toBe("PATH_ESCAPES");
    expect(error.message).toBe(
      'The archive contains the path "../x.png", which points outside the archive\'s folder. Nothing from the archive was stored.',
    );
  });

  it("refuses Windows-style traversal (backslashes)", async () => {
    expect((await rejection([{ name: "a\\..\\..\\x.png", data: bytes("x") }])).reason).toBe("PATH_ESCAPES");
  });

  it("refuses absolute paths, Unix and Windows", async () => {
    const unix = await rejection([{ name: "/etc/x.png", data: bytes("x") }]);
    expect(unix.message).toBe(
      'The archive contains the absolute path "/etc/x.png". Nothing from the archive was stored.',
    );
    expect((await rejection([{ name: "C:/x.png", data: bytes("x") }])).reason).toBe("ABSOLUTE_PATH");
  });

  it("refuses nested archives, by name and by content", async () => {
    const inner = writeZip([{ name: "a.png", data: bytes("a") }]);
    const byName = await rejection([{ name: "more/inner.zip", data: inner }]);
    expect(byName.message).toBe(
      'The archive contains another archive ("more/inner.zip"); archives inside archives are not expanded. Upload the inner archive on its own. Nothing from the archive was stored.',
    );
    expect((await rejection([{ name: "disguised.png", data: inner }])).reason).toBe("NESTED_ARCHIVE");
  });

  it("refuses too many entries from the central directory count", async () => {
    const entries = Array.from({ length: 6 }, (_, index) => ({
      name: `${index}.png`,
      data: bytes(`${index}`),
    }));
    const error = await rejection(entries, { ...limits, maxEntries: 5 });
    expect(error.message).toBe("The archive has 6 entries; the limit is 5. Nothing from the archive was stored.");
  });

  it("refuses archives whose declared sizes add up to more than the limit, before inflating", async () => {
    const error = await rejection(
      [
        { name: "a.tif", data: Buffer.alloc(600 * 1024) },
        { name: "b.tif", data: Buffer.alloc(600 * 1024) },
      ],
      limits,
    );
    expect(error.reason).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The archive expands to more than 1 MiB, the limit for one archive; split it into smaller archives. Nothing from the archive was stored.",
    );
  });

  it("refuses a bomb that declares a small size but inflates to much more", async () => {
    // 8 MiB of zeros deflate to ~8 KiB; the entry claims 1000 bytes.
    const error = await rejection([{ name: "bomb.tif", data: Buffer.alloc(8 * 1024 * 1024), declaredSize: 1000 }]);
    expect(error.reason).toBe("SIZE_MISMATCH");
    expect(error.message).toBe(
      'The archive entry "bomb.tif" inflates to more bytes than it declares; the archive is corrupt or malicious. Nothing from the archive was stored.',
    );
  });

  it("refuses encrypted entries and unknown compression methods", async () => {
    expect((await rejection([{ name: "a.png", data: bytes("x"), encrypted: true }])).reason).toBe("ENCRYPTED");
    expect((await rejection([{ name: "a.png", data: bytes("x"), rawMethod: 14 }])).reason).toBe(
      "UNSUPPORTED_COMPRESSION",
    );
  });

  it("refuses what is not a zip, and a zip with no files", async () => {
    const notZip = await rejection(bytes("just some text that is not an archive"));
    expect(notZip.message).toBe("The archive is corrupt or not a zip file. Nothing from the archive was stored.");
    expect((await rejection([{ name: "empty-folder/", method: "store" }])).reason).toBe("EMPTY");
  });
});
