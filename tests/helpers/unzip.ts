import { Readable } from "node:stream";
import yauzl from "yauzl";

/** Every entry of a zip, by its name, read with yauzl (an independent zip reader). */
export function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      const found = new Map<string, Buffer>();
      archive.on("entry", (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          Readable.from(stream)
            .on("data", (chunk: Buffer) => chunks.push(chunk))
            .on("error", reject)
            .on("end", () => {
              found.set(entry.fileName, Buffer.concat(chunks));
              archive.readEntry();
            });
        });
      });
      archive.on("error", reject);
      archive.on("end", () => resolve(found));
      archive.readEntry();
    });
  });
}
