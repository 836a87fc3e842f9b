import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { forEachInput, outputDirs, parseInputsCommandLine, usageError } from "./command-line";
import { runAnalysis, type AnalysisResult } from "~/server/analysis/run-analysis";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { encodePng } from "~/server/codecs/encode-png";

/**
 * `npm run cli -- analyze <image...> --out <dir> [--k <K>]... [--seed <n>]`
 *
 * Runs the single-image analysis (the same runAnalysis the app uses) on each image and writes
 * `<dir>/<stem>/gray.png, segmented.png, contrast_x20.png, clusters_k<K>.png, result.json`,
 * the layout of shared/fixtures/reference. A bad input prints one line naming the file and the
 * other images are still processed; the exit code is 1 if any image failed, 2 on bad usage.
 */

const USAGE = "usage: npm run cli -- analyze <image...> --out <dir> [--k <K>]... [--seed <n>]";

/** result.json: the reference layout plus the params that produced it. */
export type AnalyseResultJson = {
  otsuThreshold: number;
  kmeans: Record<string, { inertia: number; centers: number[]; areaPercent: number[] }>;
  timingsMs: Record<string, number>;
  params: AnalysisResult["params"];
};

export function toResultJson(result: AnalysisResult): AnalyseResultJson {
  const kmeans: AnalyseResultJson["kmeans"] = {};
  for (const r of result.kmeans) {
    kmeans[String(r.requestedK)] = { inertia: r.inertia, centers: r.centers, areaPercent: r.areaPercent };
  }
  return { otsuThreshold: result.otsu.threshold, kmeans, timingsMs: result.timingsMs, params: result.params };
}

function parseIntArg(name: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new RangeError(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

/** Writes every output of one image into `dir`. */
async function writeOutputs(dir: string, result: AnalysisResult): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { width, height } = result.grey;
  const png = (data: Uint8Array) => encodePng(data, width, height, 1);
  const files: [string, Promise<Buffer>][] = [
    ["gray.png", png(result.grey.data)],
    ["segmented.png", png(result.otsu.segmented.data)],
    ["contrast_x20.png", png(result.texture.pairCount)],
    ...result.kmeans.map((r): [string, Promise<Buffer>] => [`clusters_k${r.requestedK}.png`, png(r.labels.data)]),
  ];
  for (const [name, bytes] of files) await writeFile(path.join(dir, name), await bytes);
  await writeFile(path.join(dir, "result.json"), `${JSON.stringify(toResultJson(result), null, 2)}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const commandLine = parseInputsCommandLine(
    argv,
    {
      k: { type: "string", multiple: true },
      seed: { type: "string" },
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals, out } = commandLine;
  let ks: number[];
  let seed: number;
  try {
    ks = (values.k ?? ["3"]).map((k) => parseIntArg("k", k));
    seed = values.seed === undefined ? 0 : parseIntArg("seed", values.seed);
  } catch (error) {
    return usageError(error, USAGE);
  }

  const outputDir = outputDirs(path.resolve(out));
  return forEachInput(positionals, async (file) => {
    const bytes = await readFile(file);
    const raster = await decodeRaster(bytes);
    const result = runAnalysis(raster, { ks, seed }, { renderMaps: false });
    const dir = outputDir(file);
    await writeOutputs(dir, result);
    console.log(`${file} -> ${dir} (otsu ${result.otsu.threshold}, ${result.timingsMs.total?.toFixed(1)} ms)`);
  });
}
