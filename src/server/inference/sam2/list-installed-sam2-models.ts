/**
 * sam2.models: the installed SAM 2 models as the settings page and the SAM tools show them (name,
 * variant, status, sizes, card fields), which one tools use by default, the provider the sessions
 * run on, and, when no model is ready, the one line that says how to install one.
 */
import "server-only";

import { providerStatus, type ProviderStatus } from "../providers";
import { listSam2Models, SAM2_INSTALL_HINT, sam2ModelsDirectory, type Sam2ModelStatus } from "./sam2-registry";

export type Sam2ModelDto = {
  name: string;
  status: Sam2ModelStatus;
  problem: string | null;
  variant: string | null;
  description: string | null;
  licence: string | null;
  source: string | null;
  /** Bytes of encoder.onnx + decoder.onnx, when both are there. */
  bytes: number | null;
  installedAt: string | null;
  /** Identity of the pair when ready (recorded with every result). */
  pairSha256: string | null;
};

export type Sam2ModelsDto = {
  models: Sam2ModelDto[];
  /** The model tools and runs use when none is named: the first ready one; null without one. */
  defaultModel: string | null;
  /** One line saying how to install a model, when none is ready; else null. */
  installHint: string | null;
  /** Where models are read from (SAM2_MODELS_DIR). */
  directory: string;
  provider: ProviderStatus;
};

export async function listInstalledSam2Models(): Promise<Sam2ModelsDto> {
  const listings = await listSam2Models();
  const models = listings.map((listing): Sam2ModelDto => ({
    name: listing.name,
    status: listing.status,
    problem: listing.problem,
    variant: listing.card?.variant ?? null,
    description: listing.card?.description ?? null,
    licence: listing.card?.licence ?? null,
    source: listing.card?.source ?? null,
    bytes:
      listing.encoderBytes !== null && listing.decoderBytes !== null
        ? listing.encoderBytes + listing.decoderBytes
        : null,
    installedAt: listing.card?.installed?.at ?? null,
    pairSha256: listing.pairSha256,
  }));
  const ready = models.find((model) => model.status === "ready");
  return {
    models,
    defaultModel: ready?.name ?? null,
    installHint: ready ? null : SAM2_INSTALL_HINT,
    directory: sam2ModelsDirectory(),
    provider: providerStatus(),
  };
}
