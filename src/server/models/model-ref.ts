/**
 * How callers name the classifier of an analysis, as one string (job payloads, the workspace's
 * model picker, Analysis.params.classifier.model):
 * - a built-in model: its name in models/ ("visual-ccc-synthetic-v2") or a path to a .onnx file,
 *   exactly as before model versions existed, so stored analyses keep their parameter hashes;
 * - a project's retrained version: "version:<ModelVersion id>".
 * Persisted: never change the prefix.
 */
export const MODEL_VERSION_REF_PREFIX = "version:";

export type ParsedModelRef = { kind: "file"; model: string } | { kind: "version"; modelVersionId: string };

export function modelVersionRef(modelVersionId: string): string {
  return `${MODEL_VERSION_REF_PREFIX}${modelVersionId}`;
}

export function parseModelRef(ref: string): ParsedModelRef {
  if (ref.startsWith(MODEL_VERSION_REF_PREFIX)) {
    const modelVersionId = ref.slice(MODEL_VERSION_REF_PREFIX.length);
    if (!/^[\w-]{1,64}$/.test(modelVersionId)) throw new RangeError(`"${ref}" is not a model version reference`);
    return { kind: "version", modelVersionId };
  }
  return { kind: "file", model: ref };
}

export function isModelVersionRef(ref: string): boolean {
  return ref.startsWith(MODEL_VERSION_REF_PREFIX);
}
