/**
 * The card of an installed SAM 2 model: `card.json` beside `encoder.onnx` and `decoder.onnx` in
 * models/sam2/<name>/. It names the model and its variant (hiera tiny/small/base+/large, or the
 * test probe), where it came from and its licence, and the sha256 of both files as they were when
 * the install check passed: a file replaced afterwards is noticed (status "changed") instead of
 * silently giving other masks. Fields beyond these are kept as they are (the probe's card
 * documents its behaviour, samexporter users may add their own notes).
 */
import "server-only";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

export const SAM2_ENCODER_FILE = "encoder.onnx";
export const SAM2_DECODER_FILE = "decoder.onnx";
export const SAM2_CARD_FILE = "card.json";

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");

const fileEntrySchema = z.looseObject({
  file: z.string().min(1).optional(),
  sha256: sha256Schema,
});

export const sam2CardSchema = z.looseObject({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).optional(),
  /** "hiera_tiny", "hiera_small", "hiera_base_plus", "hiera_large", "probe", ... */
  variant: z.string().max(100).optional(),
  /** How the files were obtained (samexporter version and command, a URL). */
  source: z.string().max(2000).optional(),
  licence: z.string().max(200).optional(),
  encoder: fileEntrySchema,
  decoder: fileEntrySchema,
  /** When `npm run cli -- sam2-install` checked the pair, and how long its dry run took. */
  installed: z
    .looseObject({ at: z.string(), encoderMs: z.number().optional(), decoderMs: z.number().optional() })
    .optional(),
});
export type Sam2Card = z.infer<typeof sam2CardSchema>;

export class Sam2CardError extends Error {
  override readonly name = "Sam2CardError";
}

/** Reads and validates `<folder>/card.json`; the error names the file and the bad fields. */
export async function readSam2Card(folder: string): Promise<Sam2Card> {
  const file = path.join(folder, SAM2_CARD_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Sam2CardError(
      `${file} not found: an installed SAM 2 model needs its card (npm run cli -- sam2-install writes it)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Sam2CardError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = sam2CardSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Sam2CardError(`${file} is invalid: ${issues}`);
  }
  return parsed.data;
}

/** Writes `<folder>/card.json` (validated first). */
export async function writeSam2Card(folder: string, card: Sam2Card): Promise<void> {
  const valid = sam2CardSchema.parse(card);
  await writeFile(path.join(folder, SAM2_CARD_FILE), `${JSON.stringify(valid, null, 2)}\n`);
}
