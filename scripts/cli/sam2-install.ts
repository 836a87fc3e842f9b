import path from "node:path";
import { parseCommandLine, usageError } from "./command-line";

import { ModelContractError } from "~/server/inference/onnx-contract";
import { releaseModels } from "~/server/inference/session-cache";
import { installSam2Model, Sam2InstallError } from "~/server/inference/sam2/install-sam2-model";
import { Sam2CardError } from "~/server/inference/sam2/sam2-card";
import { sam2ModelsDirectory } from "~/server/inference/sam2/sam2-registry";

/**
 * `npm run cli -- sam2-install <folder> --name <name> [--replace] [--check-only] [--json]`
 *
 * Checks an exported SAM 2 encoder/decoder pair against the contract (src/server/inference/sam2)
 * and installs it as SAM2_MODELS_DIR/<name> with its card (models/sam2/README.md). A pair that
 * fails the check is refused with the reason and nothing is installed: exit code 1; bad usage: 2.
 */

const USAGE = [
  "usage: npm run cli -- sam2-install <folder> --name <name> [--replace] [--check-only] [--json]",
  "  <folder>      holds encoder.onnx and decoder.onnx, or samexporter's *.encoder.onnx and *.decoder.onnx",
  "  --name        the model's name in the app (letters, digits, '.', '_', '-')",
  "  --replace     overwrite an installed model of that name",
  "  --check-only  check the pair without installing it",
  "  --json        print the result as one JSON line",
].join("\n");

export async function run(argv: string[]): Promise<number> {
  const commandLine = parseCommandLine(
    argv,
    {
      name: { type: "string" },
      replace: { type: "boolean" },
      "check-only": { type: "boolean" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  if (commandLine.kind === "exit") return commandLine.code;
  const { values, positionals } = commandLine;
  const checkOnly = values["check-only"] === true;
  const [source, ...extra] = positionals;
  if (!source || extra.length > 0) return usageError(new Error("give exactly one folder"), USAGE);
  const name = values.name ?? (checkOnly ? path.basename(path.resolve(source)) : undefined);
  if (!name) return usageError(new Error("--name is required"), USAGE);
  try {
    const installed = await installSam2Model({ source, name, replace: values.replace === true, checkOnly });
    const { check } = installed;
    if (values.json === true) {
      console.log(
        JSON.stringify({
          status: checkOnly ? "checked" : "installed",
          name,
          folder: installed.folder,
          variant: installed.card.variant ?? null,
          encoderSha256: check.encoderSha256,
          decoderSha256: check.decoderSha256,
          provider: check.provider,
          dryRunMs: { encoder: check.encoderMs, decoder: check.decoderMs },
        }),
      );
    } else {
      const verb = checkOnly ? "follows the SAM 2 contract" : `installed as "${name}" in ${installed.folder}`;
      console.log(
        `${path.resolve(source)}: ${verb} (dry run on ${check.provider}: encoder ${check.encoderMs.toFixed(0)} ms, ` +
          `decoder ${check.decoderMs.toFixed(1)} ms for 2 prompts)`,
      );
      if (!checkOnly && path.dirname(installed.folder) !== sam2ModelsDirectory()) {
        console.log(`note: the app reads models from ${sam2ModelsDirectory()} (SAM2_MODELS_DIR)`);
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof ModelContractError || error instanceof Sam2InstallError || error instanceof Sam2CardError) {
      if (values.json === true) console.log(JSON.stringify({ status: "refused", name, error: error.message }));
      console.error(`refused: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await releaseModels();
  }
}
