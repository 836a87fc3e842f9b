"use client";

import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

const STATUS_TEXT = {
  ready: "ready",
  changed: "changed since installed",
  incomplete: "incomplete",
  "invalid-card": "card missing or invalid",
} as const;

function megabytes(bytes: number | null): string {
  return bytes === null ? "" : `${Math.round(bytes / 1e6)} MB`;
}

/**
 * Read-only: the SAM 2 models installed on the server (models/sam2, SAM2_MODELS_DIR), their status
 * and card, and where they run; with none ready, the one line that says how to install one.
 */
export function Sam2ModelsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const installed = useQuery(trpc.sam2.models.queryOptions({ projectId }));
  if (installed.error) return <p className="error">{errorMessage(installed.error)}</p>;
  if (!installed.data) return null;
  const { models, installHint, provider, defaultModel } = installed.data;
  return (
    <section className="panel" data-testid="sam2-models">
      <h2>SAM 2 models</h2>
      {installHint && (
        <p className="muted" data-testid="sam2-install-hint">
          {installHint}
        </p>
      )}
      {models.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Variant</th>
              <th>Size</th>
              <th>Status</th>
              <th>Installed</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr key={model.name} data-testid="sam2-model">
                <td title={model.description ?? undefined}>
                  {model.name}
                  {model.name === defaultModel && models.length > 1 && (
                    <span className="muted" title="The SAM tool and the dataset runs use it unless another is picked">
                      {" "}
                      (default)
                    </span>
                  )}
                </td>
                <td>{model.variant ?? "—"}</td>
                <td>{megabytes(model.bytes)}</td>
                <td className={model.status === "ready" ? undefined : "error"}>
                  {STATUS_TEXT[model.status]}
                  {model.problem && (
                    <div style={{ fontSize: "0.78rem" }} data-testid="sam2-model-problem">
                      {model.problem}
                    </div>
                  )}
                </td>
                <td>{model.installedAt ? new Date(model.installedAt).toLocaleDateString() : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Runs on {provider.active.toUpperCase()}
        {provider.fallbackReason ? ` (${provider.fallbackReason})` : ""}. Installing is done on the server:{" "}
        <code>npm run cli -- sam2-install &lt;folder&gt; --name &lt;name&gt;</code>.
      </p>
    </section>
  );
}
