import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { cocoRleToMask, decodeCompressedCounts, maskToCocoRle } from "~/core/regions/coco-rle";
import { csvCell, csvRow } from "../csv-cell";
import { writeZip } from "../zip-writer";

describe("csvCell", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    expect(csvRow(["a", 1.5, null, 'say "hi"', "x,y", "=SUM(A1)", "-1", "@cmd", "line\nbreak"])).toBe(
      `a,1.5,,"say ""hi""","x,y",'=SUM(A1),'-1,'@cmd,"line\nbreak"\r\n`,
    );
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("defuses a formula after any separator a spreadsheet may split on, and quotes the cell", () => {
    expect(csvCell("a;=1+1")).toBe(`"'a;=1+1"`);
    expect(csvCell("x, =HYPERLINK(evil)")).toBe(`"'x, =HYPERLINK(evil)"`);
    expect(csvCell("a\t@cmd")).toBe(`"'a\t@cmd"`);
    expect(csvCell("dendritic=0.9;-spherical=0.1")).toBe(`"'dendritic=0.9;-spherical=0.1"`);
    // Harmless text keeps its value; a ";" alone is quoted so no locale splits the cell.
    expect(csvCell("dendritic=0.9;spherical=0.1")).toBe(`"dendritic=0.9;spherical=0.1"`);
    expect(csvCell("1-2 mAh")).toBe("1-2 mAh");
  });
});

describe("COCO RLE", () => {
  it("round-trips masks through column-major runs", () => {
    const width = 5;
    const height = 3;
    const mask = Uint8Array.from({ length: width * height }, (_, i) => (i % 3 === 0 || i === 14 ? 1 : 0));
    const rle = maskToCocoRle(mask, width, height);
    expect(rle.size).toEqual([height, width]);
    expect(rle.counts.reduce((a, b) => a + b, 0)).toBe(width * height);
    expect(cocoRleToMask(rle.counts, width, height)).toEqual(mask);
    expect(() => cocoRleToMask([3], width, height)).toThrow(RangeError);
  });

  it("decodes pycocotools' compressed counts (5-bit groups + 48; from the 4th on, deltas to counts[i - 2])", () => {
    // rleToString([1, 2, 3, 4]) writes 1, 2, 3 and then 4 - 2 = 2.
    expect(decodeCompressedCounts(String.fromCharCode(48 + 1, 48 + 2, 48 + 3, 48 + 2))).toEqual([1, 2, 3, 4]);
    // A value of 40 needs two groups: 40 = 8 + (1 << 5): first char has the "more" bit (0x20).
    expect(decodeCompressedCounts(String.fromCharCode(48 + (8 | 0x20), 48 + 1))).toEqual([40]);
  });
});

describe("writeZip", () => {
  it("writes a STORE zip that unzip tools read back", async () => {
    async function* entries() {
      yield { name: "a/one.png", bytes: new Uint8Array([1, 2, 3]) };
      yield { name: "b/ü.txt", bytes: new TextEncoder().encode("hello") };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of writeZip(entries())) chunks.push(Buffer.from(chunk));
    const zip = Buffer.concat(chunks);
    const read = await new Promise<Record<string, string>>((resolve, reject) => {
      yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
        if (error || !archive) return reject(error);
        const found: Record<string, string> = {};
        const readEntry = async (entry: yauzl.Entry, stream: NodeJS.ReadableStream) => {
          const parts: Buffer[] = [];
          for await (const part of Readable.from(stream)) parts.push(part as Buffer);
          found[entry.fileName] = Buffer.concat(parts).toString("hex");
          archive.readEntry();
        };
        archive.on("entry", (entry: yauzl.Entry) =>
          archive.openReadStream(entry, (e, stream) =>
            e || !stream ? reject(e) : void readEntry(entry, stream).catch(reject),
          ),
        );
        archive.on("end", () => resolve(found));
        archive.readEntry();
      });
    });
    expect(read).toEqual({ "a/one.png": "010203", "b/ü.txt": Buffer.from("hello").toString("hex") });
  });
});
