/**
 * What a SAM 2 object set (ObjectSet.method "sam2") stores as `params`: the model it used and the
 * automatic mask generator's parameters (core/sam2/amg-params.ts: the seed app's defaults).
 * Persisted with each set: add fields, do not rename.
 */
import type { Sam2AmgParams } from "~/core/sam2/amg-params";

export type Sam2ObjectParams = {
  method: "sam2";
  /** The installed model's name when the set was made, its files' identity, and its variant. */
  model: { name: string; pairSha256: string; variant: string | null };
  generator: Sam2AmgParams;
};
