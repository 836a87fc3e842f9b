"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "~/components/error-message";
import { KMEANS_MAX_K, KMEANS_MIN_K } from "~/core/analysis/kmeans-grey";
import { DEFAULT_OBJECT_PARAMS } from "~/core/objects/segment-objects";
import { settingsDifferences, type AnalysisSettings, type SettingsModel } from "~/core/settings/analysis-settings";
import { useTRPC } from "~/trpc/react";
import { CLASSIFICATION_EXPLANATION, ClassificationSelect } from "./ClassificationSelect";

const K_CHOICES = Array.from({ length: KMEANS_MAX_K - KMEANS_MIN_K + 1 }, (_, i) => KMEANS_MIN_K + i);

function modelKey(model: SettingsModel): string {
  return model.kind === "version" ? `version:${model.modelVersionId}` : model.kind;
}

function modelOf(key: string): SettingsModel {
  if (key.startsWith("version:")) return { kind: "version", modelVersionId: key.slice("version:".length) };
  return key === "none" ? { kind: "none" } : { kind: "default" };
}

/**
 * The project's analysis settings: what dataset runs use and exports report (one saved version at a
 * time; each save is a new version, older ones stay readable). EDITORs and OWNERs edit them; the
 * form shows the current version and what an edit changes before it is saved.
 */
export function ProjectSettingsPanel({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const current = useQuery(trpc.settings.get.queryOptions({ projectId }));
  const versions = useQuery(trpc.modelVersion.list.queryOptions({ projectId }));
  const [draft, setDraft] = useState<AnalysisSettings | null>(null);
  const save = useMutation(
    trpc.settings.save.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void current.refetch();
      },
    }),
  );
  if (!current.data) return null;
  const saved = current.data.settings;
  const settings = draft ?? saved;
  const edit = (change: Partial<AnalysisSettings>) => setDraft({ ...settings, ...change });
  const changed = draft ? settingsDifferences(saved, draft) : [];
  const retrained = (versions.data ?? []).filter((v) => !v.builtIn);
  const targetK = settings.targetCluster?.k ?? settings.ks[0]!;

  return (
    <section className="panel" data-testid="project-settings">
      <h2>Analysis settings</h2>
      <p className="muted">
        {current.data.version === 0 ? "Defaults (never saved)" : `Version ${current.data.version}`}: what dataset runs
        use and exports report. Exploring other values on an image does not change them.
      </p>
      <fieldset disabled={!canEdit || save.isPending} className="stack">
        <label>
          Classifier{" "}
          <select
            data-testid="settings-model"
            value={modelKey(settings.model)}
            onChange={(e) => edit({ model: modelOf(e.target.value) })}
          >
            <option value="default">Built-in model (server default)</option>
            <option value="none">No classification</option>
            {retrained.map((v) => (
              <option key={v.id} value={`version:${v.id}`}>
                Retrained: {v.name}
              </option>
            ))}
          </select>
        </label>
        <div>
          <label>
            Classify{" "}
            <ClassificationSelect
              testId="settings-classification"
              value={settings.classification}
              disabled={settings.model.kind === "none"}
              onChange={(classification) => edit({ classification })}
            />
          </label>
          <div className="muted" style={{ fontSize: "0.78rem" }}>
            {CLASSIFICATION_EXPLANATION}
          </div>
        </div>
        <div role="group" aria-label="K values" className="row">
          K values:
          {K_CHOICES.map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                data-testid={`settings-k-${k}`}
                checked={settings.ks.includes(k)}
                onChange={(e) => {
                  const ks = e.target.checked
                    ? [...settings.ks, k].sort((a, b) => a - b)
                    : settings.ks.filter((x) => x !== k);
                  const target = settings.targetCluster;
                  edit({ ks, targetCluster: target && ks.includes(target.k) ? target : null });
                }}
              />
              {k}
            </label>
          ))}
        </div>
        <label>
          Target cluster (0 = darkest, of K = {targetK}){" "}
          <select
            data-testid="settings-target"
            value={settings.targetCluster?.cluster ?? ""}
            onChange={(e) =>
              edit({
                targetCluster: e.target.value === "" ? null : { k: targetK, cluster: Number(e.target.value) },
              })
            }
          >
            <option value="">none</option>
            {Array.from({ length: targetK }, (_, c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Analysis width (px){" "}
          <input
            type="number"
            min={16}
            max={4096}
            value={settings.width}
            onChange={(e) => edit({ width: Number(e.target.value) })}
          />
        </label>
        <label>
          GLCM window (px, odd){" "}
          <input
            type="number"
            min={3}
            max={15}
            step={2}
            value={settings.glcmWindow}
            onChange={(e) => edit({ glcmWindow: Number(e.target.value) })}
          />
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="settings-exclude-data-bar"
            checked={settings.analysedArea === "exclude-data-bar"}
            onChange={(e) => edit({ analysedArea: e.target.checked ? "exclude-data-bar" : "whole-image" })}
          />{" "}
          Leave out the instrument&apos;s data bar (each image&apos;s analysed area)
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="settings-objects"
            checked={settings.objects !== null}
            onChange={(e) => edit({ objects: e.target.checked ? { ...DEFAULT_OBJECT_PARAMS } : null })}
          />{" "}
          Segment and measure objects (default parameters; tune them on an image first)
        </label>
        <label>
          &ldquo;Uncertain&rdquo; below a calibrated probability of{" "}
          <input
            type="number"
            data-testid="settings-min-confidence"
            min={0}
            max={1}
            step={0.05}
            value={settings.uncertainty.minConfidence}
            onChange={(e) => edit({ uncertainty: { ...settings.uncertainty, minConfidence: Number(e.target.value) } })}
          />
        </label>
        <label>
          or above an OOD score of{" "}
          <input
            type="number"
            data-testid="settings-max-ood-score"
            min={0}
            step={0.1}
            placeholder="model's (1)"
            value={settings.uncertainty.maxOodScore ?? ""}
            onChange={(e) =>
              edit({
                uncertainty: {
                  ...settings.uncertainty,
                  maxOodScore: e.target.value === "" ? null : Number(e.target.value),
                },
              })
            }
          />{" "}
          (empty: the model&apos;s threshold; 1 = the 99th percentile of images like the training ones)
        </label>
      </fieldset>
      {canEdit && (
        <div className="row">
          <button
            type="button"
            data-testid="settings-save"
            disabled={!draft || changed.length === 0 || save.isPending}
            onClick={() => draft && save.mutate({ projectId, settings: draft })}
          >
            {save.isPending ? "Saving…" : "Save as a new version"}
          </button>
          {draft && (
            <button type="button" onClick={() => setDraft(null)} disabled={save.isPending}>
              Discard changes
            </button>
          )}
          {changed.length > 0 && <span className="muted">Changes: {changed.join(", ")}</span>}
          {save.error && <span className="error">{errorMessage(save.error)}</span>}
        </div>
      )}
    </section>
  );
}
