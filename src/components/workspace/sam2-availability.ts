/**
 * Whether the SAM 2 tools (the canvas tool, the dataset actions) can be used, from `sam2.models`:
 * only with a model whose install check passed. Without one they stay visible but disabled, with
 * the server's one line on how to install a model; while the list loads they are disabled quietly.
 */

/** What this needs of `sam2.models` (RouterOutputs["sam2"]["models"]). */
export type Sam2ModelsView = {
  models: readonly { name: string; status: string }[];
  defaultModel: string | null;
  installHint: string | null;
};

export type Sam2Availability = {
  enabled: boolean;
  /** Names of the ready models (the picker's choices when there are several). */
  readyModels: string[];
  /** The model used when the user picks none. */
  defaultModel: string | null;
  /** Why the tools are disabled, in one line; null when enabled or still loading. */
  reason: string | null;
};

/** Said when the server gives no hint of its own. */
export const SAM2_FALLBACK_HINT =
  "No SAM 2 model installed: see models/sam2/README.md (npm run cli -- sam2-install <folder> --name <name>)";

export function sam2Availability(models: Sam2ModelsView | undefined, error?: unknown): Sam2Availability {
  if (!models) {
    return {
      enabled: false,
      readyModels: [],
      defaultModel: null,
      reason: error ? "SAM 2 models could not be listed." : null,
    };
  }
  const readyModels = models.models.filter((model) => model.status === "ready").map((model) => model.name);
  const enabled = readyModels.length > 0;
  return {
    enabled,
    readyModels,
    defaultModel: enabled ? (models.defaultModel ?? readyModels[0]!) : null,
    reason: enabled ? null : (models.installHint ?? SAM2_FALLBACK_HINT),
  };
}
