/**
 * Which ONNX Runtime execution provider runs the models, from configuration:
 * INFERENCE_PROVIDER=cpu (default) or cuda. When CUDA is asked for but cannot be used (no GPU, no
 * CUDA provider library), sessions fall back to CPU: logged once, reported by providerStatus() so
 * the UI can show it, never a crash.
 */
import "server-only";
import * as ort from "onnxruntime-node";
import { z } from "zod";
import { parseEnvVar, type EnvSource } from "~/server/env";

export const providerNameSchema = z.enum(["cpu", "cuda"]);
export type ProviderName = z.infer<typeof providerNameSchema>;

export type ProviderStatus = {
  /** What the configuration asked for. */
  requested: ProviderName;
  /** What the sessions created so far actually run on. */
  active: ProviderName;
  /** Why `active` differs from `requested` (or why the configured value was ignored). */
  fallbackReason?: string;
};

type Logger = (message: string) => void;

let status: ProviderStatus | undefined;
let logger: Logger = (message) => console.warn(message);

/** Parses INFERENCE_PROVIDER; an unknown value means cpu, with the reason kept for the status. */
export function requestedProvider(env?: EnvSource): {
  provider: ProviderName;
  problem?: string;
} {
  const parsed = parseEnvVar("INFERENCE_PROVIDER", env);
  if (parsed.success) return { provider: parsed.data };
  const raw = parsed.raw.trim().toLowerCase();
  return { provider: "cpu", problem: `INFERENCE_PROVIDER="${raw}" is not one of cpu, cuda; using cpu` };
}

function initialStatus(): ProviderStatus {
  const { provider, problem } = requestedProvider();
  const initial: ProviderStatus = { requested: provider, active: provider };
  if (problem) {
    initial.fallbackReason = problem;
    logger(`[inference] ${problem}`);
  }
  return initial;
}

/** The provider the service runs on now (for the UI and the CLI's --json output). */
export function providerStatus(): ProviderStatus {
  status ??= initialStatus();
  return { ...status };
}

/** Tests and long-running processes that change INFERENCE_PROVIDER: forget the decision. */
export function resetProviderStatus(options: { logger?: Logger } = {}): void {
  status = undefined;
  if (options.logger) logger = options.logger;
}

const cpuOptions: ort.InferenceSession.SessionOptions = {
  executionProviders: ["cpu"],
  graphOptimizationLevel: "all",
  // Idle intra-op threads sleep instead of spinning: spinning doubled the CPU time per image and
  // took a core from the analysis steps that follow (the processes here share their cores).
  extra: { session: { intra_op: { allow_spinning: "0" } } },
};

/**
 * Creates a session on the configured provider. If that is CUDA and it fails, switches the whole
 * service to CPU (logged once) and retries there. Errors on CPU (a bad model file) propagate.
 */
export async function createSession(
  model: string | Uint8Array,
): Promise<{ session: ort.InferenceSession; provider: ProviderName }> {
  const current = providerStatus();
  if (current.active === "cuda") {
    // ONNX Runtime would print its own multi-line error for a missing CUDA library; we log one
    // line instead. The level is read when the runtime environment is first created.
    ort.env.logLevel = "fatal";
    try {
      const session = await ort.InferenceSession.create(model as string, {
        ...cpuOptions,
        executionProviders: ["cuda", "cpu"],
        logSeverityLevel: 4,
      });
      return { session, provider: "cuda" };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      status = {
        requested: current.requested,
        active: "cpu",
        fallbackReason: `CUDA execution provider unavailable (${detail}); running on CPU`,
      };
      logger(`[inference] ${status.fallbackReason}`);
    }
  }
  const session = await ort.InferenceSession.create(model as string, cpuOptions);
  return { session, provider: "cpu" };
}
