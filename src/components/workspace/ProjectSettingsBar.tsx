"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import type { AnalysisSettings, ClassificationMode, SettingsModel } from "~/core/settings/analysis-settings";
import { useTRPC } from "~/trpc/react";
import { NO_MODEL, type ModelChoice } from "./AnalysisControls";

const VERSION_PREFIX = "version:";

/** The settings model for the workspace's model picker value. */
export function settingsModelOf(model: string, models: readonly ModelChoice[]): SettingsModel | null {
  if (model === NO_MODEL) return { kind: "none" };
  if (model.startsWith(VERSION_PREFIX)) return { kind: "version", modelVersionId: model.slice(VERSION_PREFIX.length) };
  // Built-in models other than the server's default cannot be a project's setting.
  return models.find((m) => m.name === model)?.isDefault ? { kind: "default" } : null;
}

/** What differs between the workspace's choice and the project's settings, in words. */
export function choiceDifferences(
  settings: AnalysisSettings,
  choice: { model: SettingsModel | null; k: number; target: number | null; classification: ClassificationMode },
): string[] {
  const differences: string[] = [];
  if (JSON.stringify(choice.model) !== JSON.stringify(settings.model)) differences.push("model");
  // Without a classifier the classification mode changes nothing.
  if (choice.model?.kind !== "none" && choice.classification !== settings.classification) {
    differences.push(
      `classification (project: ${settings.classification === "tiles" ? "whole image" : "centre crop"})`,
    );
  }
  if (!settings.ks.includes(choice.k)) differences.push(`K (project: ${settings.ks.join(", ")})`);
  const target = settings.targetCluster;
  if (choice.target !== null && (target === null || target.k !== choice.k || target.cluster !== choice.target)) {
    differences.push("target cluster");
  }
  return differences;
}

/**
 * Whether what the workspace shows is what the project reports: exploring another K or model is a
 * preview (exports and dataset runs use the project's settings) until someone who may manage the
 * settings saves the choice as the project's next settings version.
 */
export function ProjectSettingsBar(props: {
  projectId: string;
  model: string;
  models: readonly ModelChoice[];
  k: number;
  target: number | null;
  classification: ClassificationMode;
  canSave: boolean;
}) {
  const trpc = useTRPC();
  const current = useQuery(trpc.settings.get.queryOptions({ projectId: props.projectId }));
  const save = useMutation(trpc.settings.save.mutationOptions({ onSuccess: () => void current.refetch() }));
  if (!current.data) return null;
  const { settings, version } = current.data;
  const model = settingsModelOf(props.model, props.models);
  const differences = choiceDifferences(settings, {
    model,
    k: props.k,
    target: props.target,
    classification: props.classification,
  });
  const name = version === 0 ? "the project's default settings" : `the project's settings v${version}`;
  if (differences.length === 0) {
    return (
      <p className="muted" data-testid="settings-state" data-differs="false">
        Matches {name}: this is what exports report.
      </p>
    );
  }
  const next: AnalysisSettings | null =
    model === null
      ? null
      : {
          ...settings,
          model,
          ks: settings.ks.includes(props.k) ? settings.ks : [props.k],
          targetCluster: props.target === null ? settings.targetCluster : { k: props.k, cluster: props.target },
          ...(model.kind === "none" ? {} : { classification: props.classification }),
        };
  return (
    <div className="row" data-testid="settings-state" data-differs="true">
      <span>
        Preview: differs from {name} ({differences.join(", ")}). Exports and dataset runs use the project&apos;s
        settings.
      </span>
      {props.canSave && next && (
        <button
          type="button"
          data-testid="save-project-settings"
          disabled={save.isPending}
          onClick={() => save.mutate({ projectId: props.projectId, settings: next })}
        >
          {save.isPending ? "Saving…" : "Save as project settings"}
        </button>
      )}
      {props.canSave && !next && (
        <span className="muted">Only the default model or a retrained version can be saved.</span>
      )}
      {save.error && <span className="error">{errorMessage(save.error)}</span>}
    </div>
  );
}
