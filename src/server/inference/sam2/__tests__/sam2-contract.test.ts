/**
 * The SAM 2 install check with real ONNX Runtime on the committed probe pair and its broken
 * variants (tests/fixtures/sam2, training/sam2_probe.py): the probe passes (signatures, pair fit,
 * dry run); a file that is not ONNX, an encoder with another output name or another embedding
 * shape, and a decoder made for another encoder are refused with a message naming the file and
 * what is wrong; nothing is installed when the check fails; an installed model whose file is
 * replaced afterwards is "changed", not "ready".
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ModelContractError } from "../../onnx-contract";
import { releaseModels } from "../../session-cache";
import { installSam2Model } from "../install-sam2-model";
import { readSam2Card } from "../sam2-card";
import { checkSam2Pair, getSam2Model } from "../sam2-model";
import { describeSam2Folder, findReadySam2Model, listSam2Models, SAM2_INSTALL_HINT } from "../sam2-registry";
import { brokenFile, PROBE_DIR, probeFile } from "./sam2-fixtures";

afterAll(releaseModels);

function scratchPair(encoder: string, decoder: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vccc-sam2-"));
  copyFileSync(encoder, path.join(dir, "encoder.onnx"));
  copyFileSync(decoder, path.join(dir, "decoder.onnx"));
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<ModelContractError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelContractError);
  return error as ModelContractError;
}

describe("the SAM 2 contract check", () => {
  it("accepts the probe pair: signatures, pair and a dry run", async () => {
    const card = JSON.parse(readFileSync(path.join(PROBE_DIR, "card.json"), "utf8")) as {
      encoder: { sha256: string };
      decoder: { sha256: string };
    };
    const check = await checkSam2Pair({ encoder: probeFile("encoder"), decoder: probeFile("decoder") });
    expect(check.encoderSha256).toBe(card.encoder.sha256);
    expect(check.decoderSha256).toBe(card.decoder.sha256);
    expect(check.provider).toBe("cpu");
  });

  it("refuses a file that is not ONNX, naming it", async () => {
    const error = await refusal(checkSam2Pair({ encoder: brokenFile("not-onnx"), decoder: probeFile("decoder") }));
    expect(error.message).toContain("not-onnx.onnx");
    expect(error.message).toMatch(/not a loadable ONNX model/);
  });

  it("refuses an encoder with another output name, naming the missing output", async () => {
    const error = await refusal(
      checkSam2Pair({ encoder: brokenFile("encoder-wrong-output-name"), decoder: probeFile("decoder") }),
    );
    expect(error.message).toContain("encoder-wrong-output-name.onnx");
    expect(error.message).toMatch(/has no output named "image_embed" \(outputs: .*vision_features/);
  });

  it("refuses an encoder whose embedding has another shape, naming both shapes", async () => {
    const error = await refusal(
      checkSam2Pair({ encoder: brokenFile("encoder-wrong-embed-shape"), decoder: probeFile("decoder") }),
    );
    expect(error.message).toMatch(/output "image_embed" has shape \[1, 256, 32, 32\], expected \[1, 256, 64, 64\]/);
  });

  it("refuses a decoder made for another encoder: the pair does not fit", async () => {
    const error = await refusal(
      checkSam2Pair({ encoder: probeFile("encoder"), decoder: brokenFile("decoder-embed-128-channels") }),
    );
    expect(error.message).toContain("decoder-embed-128-channels.onnx");
    expect(error.message).toMatch(
      /does not fit the encoder .*encoder\.onnx: it reads "image_embed" as \[1, 128, 64, 64\], the encoder writes \[1, 256, 64, 64\]/,
    );
  });

  it("refuses a swapped pair (the decoder given as the encoder)", async () => {
    const error = await refusal(checkSam2Pair({ encoder: probeFile("decoder"), decoder: probeFile("encoder") }));
    expect(error.message).toMatch(/input "image" .*|has no input named "image"/);
  });
});

describe("installing and listing SAM 2 models", () => {
  it("lists nothing, with one line saying how to install, when no model is installed", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "vccc-sam2-none-"));
    expect(await listSam2Models(empty)).toEqual([]);
    expect(await listSam2Models(path.join(empty, "absent"))).toEqual([]);
    expect(SAM2_INSTALL_HINT).toMatch(
      /^No SAM 2 model is installed\..*npm run cli -- sam2-install <folder> --name <name>$/,
    );
    expect(SAM2_INSTALL_HINT).not.toContain("\n");
  });

  it("installs a checked pair with samexporter's file names and lists it as ready", async () => {
    const source = mkdtempSync(path.join(tmpdir(), "vccc-sam2-src-"));
    copyFileSync(probeFile("encoder"), path.join(source, "sam2.1_hiera_tiny.encoder.onnx"));
    copyFileSync(probeFile("decoder"), path.join(source, "sam2.1_hiera_tiny.decoder.onnx"));
    const directory = mkdtempSync(path.join(tmpdir(), "vccc-sam2-models-"));
    const installed = await installSam2Model({ source, name: "tiny", directory });
    expect(installed.folder).toBe(path.join(directory, "tiny"));
    const card = await readSam2Card(installed.folder);
    expect(card).toMatchObject({ name: "tiny", variant: "hiera_tiny", encoder: { file: "encoder.onnx" } });
    const [listing, ...others] = await listSam2Models(directory);
    expect(others).toEqual([]);
    expect(listing).toMatchObject({ name: "tiny", status: "ready", problem: null });
    expect(listing!.pairSha256).toMatch(/^[0-9a-f]{64}$/);
    // A second install under the same name needs --replace.
    await expect(installSam2Model({ source, name: "tiny", directory })).rejects.toThrow(/already installed.*--replace/);
    // The installed model loads, and its pair identity is the listing's.
    const model = await getSam2Model(installed.folder);
    expect(model.pairSha256).toBe(listing!.pairSha256);
  });

  it("installs nothing when the check fails", async () => {
    const source = scratchPair(brokenFile("encoder-wrong-embed-shape"), probeFile("decoder"));
    const directory = mkdtempSync(path.join(tmpdir(), "vccc-sam2-models-"));
    await refusal(installSam2Model({ source, name: "bad", directory }));
    expect(existsSync(path.join(directory, "bad"))).toBe(false);
    await expect(installSam2Model({ source, name: "no/slashes", directory })).rejects.toThrow(/model name/);
  });

  it("marks a model whose file changed after the install as changed, and refuses to load it", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vccc-sam2-models-"));
    const { folder } = await installSam2Model({ source: PROBE_DIR, name: "probe", directory });
    writeFileSync(path.join(folder, "decoder.onnx"), readFileSync(brokenFile("decoder-embed-128-channels")));
    const listing = await describeSam2Folder(folder);
    expect(listing.status).toBe("changed");
    expect(listing.problem).toMatch(/decoder\.onnx changed since the install check/);
    const error = await refusal(getSam2Model(folder));
    expect(error.message).toMatch(/differs from card.json's/);
  });

  it("names the install hint when no ready model exists", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "vccc-sam2-none-"));
    const previous = process.env.SAM2_MODELS_DIR;
    process.env.SAM2_MODELS_DIR = empty;
    try {
      await expect(findReadySam2Model()).rejects.toThrow(SAM2_INSTALL_HINT);
      await expect(findReadySam2Model("absent")).rejects.toThrow(/"absent" is not installed/);
    } finally {
      if (previous === undefined) delete process.env.SAM2_MODELS_DIR;
      else process.env.SAM2_MODELS_DIR = previous;
    }
  });
});
