/**
 * How SAM 2 object sets are keyed and versioned (ObjectSet.method "sam2"): one set per image, model
 * files and generator parameters. Names here are persisted: add fields, do not rename.
 */
import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "~/server/analysis/canonical-params";
import { serverEnv } from "~/server/env";
import { OBJECTS_MAX_SIDE } from "./object-set-record";
import type { Sam2AmgParams } from "~/core/sam2/amg-params";
import type { Sam2ObjectParams } from "./sam2-object-params";

/** Bump when anything changes the stored masks or numbers for the same model and parameters. */
export const SAM2_OBJECTS_CODE_VERSION = "sam2-objects@1";

export function sam2ObjectsCodeVersion(): string {
  const commit = serverEnv().VISUAL_CCC_COMMIT;
  return commit ? `${SAM2_OBJECTS_CODE_VERSION}+${commit}` : SAM2_OBJECTS_CODE_VERSION;
}

/** What a SAM 2 set stores as `params`. */
export function sam2ObjectParams(
  model: { name: string; pairSha256: string; variant: string | null },
  generator: Sam2AmgParams,
): Sam2ObjectParams {
  return { method: "sam2", model, generator };
}

/**
 * The key of reuse: sha256 of the method, the model's files (not its name: a renamed folder is the
 * same model), the generator's parameters and the resolution cap. Never equal to a classical hash.
 */
export function sam2ObjectParamsHash(pairSha256: string, generator: Sam2AmgParams): string {
  const canonical = canonicalJson({ method: "sam2", model: pairSha256, generator, maxSide: OBJECTS_MAX_SIDE });
  return createHash("sha256").update(canonical).digest("hex");
}
