"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorMessage } from "~/components/error-message";
import { JobRunProgress } from "~/components/jobs/JobRunProgress";
import { useProjectCan } from "~/components/projects/use-project-can";
import { isActive, useLiveJobRuns, type JobRunItem } from "~/components/jobs/use-live-job-runs";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { FEATURE_SETS, type FeatureSet } from "~/core/descriptors/feature-sets";
import Link from "next/link";
import { percent, ScoresDetail } from "./ScoresDetail";

const FEATURE_SET_LABELS: Record<FeatureSet, string> = {
  cnn: "CNN features",
  descriptors: "Measured descriptors (texture, object shape)",
  both: "CNN features + descriptors",
};

type ModelVersionItem = RouterOutputs["modelVersion"]["list"][number];

/** The queue name of retraining runs (src/server/jobs/definitions/retrain-model.ts). */
const RETRAIN_JOB = "retrain-model";

function phaseOf(run: JobRunItem): string | null {
  if (run.status === "QUEUED") return "Waiting for a worker…";
  if (run.status !== "RUNNING") return null;
  return run.progressTotal > 0 && run.progressDone >= run.progressTotal
    ? "Training the new head and cross-validating…"
    : `Computing features: ${run.progressDone} / ${run.progressTotal} images (cached ones are instant)`;
}

/**
 * The project's model versions (built-in and retrained): the synthetic test and the scores on the
 * lab's own labels in separate columns (never one mixed column), per-class precision and recall
 * and confusion matrices whose cells list their images; "Retrain from labels" for editors with
 * the job's live progress, and the least-confident-first labelling queue.
 */
export function ModelsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useProjectCan(projectId);
  const [datasetId, setDatasetId] = useState("");
  const [baseVersionId, setBaseVersionId] = useState("");
  const [featureSet, setFeatureSet] = useState<FeatureSet>("cnn");
  const [expanded, setExpanded] = useState<string | null>(null);
  const versions = useQuery(trpc.modelVersion.list.queryOptions({ projectId }));
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  const trainingSet = useQuery(
    trpc.modelVersion.trainingSet.queryOptions({ projectId, datasetId: datasetId || undefined }),
  );
  const queue = useQuery(trpc.modelVersion.leastConfidentImages.queryOptions({ projectId, limit: 1 }));
  const { runs } = useLiveJobRuns({ projectId });
  const retrainRuns = (runs ?? []).filter((run) => run.type === RETRAIN_JOB);
  const latest = retrainRuns[0] ?? null;
  const running = latest !== null && isActive(latest);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.modelVersion.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.modelVersion.trainingSet.queryKey() });
  };
  const retrain = useMutation(trpc.modelVersion.retrain.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.modelVersion.delete.mutationOptions({ onSuccess: refresh }));

  // A finished retraining adds a version: reload the list once per finished run.
  const seenFinished = useRef(new Set<string>());
  useEffect(() => {
    for (const run of retrainRuns) {
      if (run.status === "SUCCEEDED" && !seenFinished.current.has(run.id)) {
        seenFinished.current.add(run.id);
        refresh();
      }
    }
  });

  const problem = trainingSet.data?.problem ?? null;
  const available = versions.data?.filter((v) => v.available) ?? [];

  return (
    <section className="panel" data-testid="models-panel">
      <h2>Models</h2>
      <p className="muted" data-testid="training-set">
        {trainingSet.data
          ? trainingSet.data.labelled.length === 0
            ? "No label classes yet: add classes and label images in the workspace to retrain."
            : `Labelled images: ${trainingSet.data.labelled.map((c) => `${c.name} ${c.count}`).join(", ")}` +
              (trainingSet.data.images > 0
                ? ` · cross-validation groups: ${trainingSet.data.groups} (${trainingSet.data.groupedBy === "source" ? "by source micrograph" : "one per image"})`
                : "")
          : "Loading labels…"}
      </p>
      {problem && (
        <p className="error" data-testid="retrain-problem">
          {problem}
        </p>
      )}
      {queue.data && (
        <p className="muted" data-testid="label-queue-entry">
          {queue.data.total > 0 ? (
            <>
              <Link href={`/projects/${projectId}/label-queue`} data-testid="label-queue-link">
                {can.annotate ? "Label" : "See"} the least confident images first
              </Link>{" "}
              ({queue.data.total} unlabelled with a prediction under the settings v{queue.data.settingsVersion})
            </>
          ) : (
            (queue.data.note ?? "Every image with a prediction under the project's settings is labelled.")
          )}
        </p>
      )}

      {can.manageModels && (
        <div className="row" style={{ marginBottom: 8 }}>
          <select aria-label="Labels from" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            <option value="">Labels of every dataset</option>
            {datasets.data?.map((d) => (
              <option key={d.id} value={d.id}>
                Labels of {d.name}
              </option>
            ))}
          </select>
          <select aria-label="Network" value={baseVersionId} onChange={(e) => setBaseVersionId(e.target.value)}>
            <option value="">Default network</option>
            {available.map((v) => (
              <option key={v.id} value={v.id}>
                Network of {v.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Features"
            value={featureSet}
            onChange={(e) => setFeatureSet(e.target.value as FeatureSet)}
          >
            {FEATURE_SETS.map((set) => (
              <option key={set} value={set}>
                {FEATURE_SET_LABELS[set]}
              </option>
            ))}
          </select>
          <button
            className="primary"
            type="button"
            data-testid="retrain"
            disabled={retrain.isPending || running || problem !== null || !trainingSet.data}
            title={problem ?? (running ? "A retraining is running" : undefined)}
            onClick={() =>
              retrain.mutate({
                projectId,
                datasetId: datasetId || undefined,
                baseVersionId: baseVersionId || undefined,
                featureSet,
              })
            }
          >
            {retrain.isPending ? "Starting…" : "Retrain from labels"}
          </button>
          {retrain.error && <span className="error">{errorMessage(retrain.error)}</span>}
        </div>
      )}

      {latest && (
        <div data-testid="retrain-progress">
          {phaseOf(latest) && <p className="muted">{phaseOf(latest)}</p>}
          <JobRunProgress projectId={projectId} run={latest} canManage={can.manageJobs} />
        </div>
      )}

      {versions.error && <p className="error">{errorMessage(versions.error)}</p>}
      {versions.data?.length === 0 && (
        <p className="muted">No model installed (models/) and no retrained version yet.</p>
      )}
      {versions.data && versions.data.length > 0 && (
        <table data-testid="model-versions">
          <thead>
            <tr>
              <th style={{ textAlign: "left" }}>Version</th>
              <th>Features</th>
              <th title="Accuracy on the built-in model card's held-out synthetic test set (generated images, not yours)">
                Synthetic test
              </th>
              <th title="Accuracy on this project's labels: a retrained version's cross-validation (images held out of training); a built-in model's stored analyses, which never saw your labels">
                Your labels (cross-validated)
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.data.map((version) => (
              <VersionRow
                key={version.id}
                projectId={projectId}
                version={version}
                expanded={expanded === version.id}
                onToggle={() => setExpanded(expanded === version.id ? null : version.id)}
                canDelete={can.manageModels && !version.builtIn}
                deleting={remove.isPending}
                onDelete={() => {
                  if (window.confirm(`Delete "${version.name}"? Analyses made with it stay.`))
                    remove.mutate({ projectId, modelVersionId: version.id });
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {remove.error && <p className="error">{errorMessage(remove.error)}</p>}
    </section>
  );
}

/** "leave-one-group-out, 7 groups" for the table cell; the full wording is in its tooltip. */
function validationShort(version: ModelVersionItem): string {
  const training = version.training;
  if (!training) return "cross-validated";
  return training.validation === "leave-one-group-out"
    ? `leave-one-group-out, ${training.groups} groups`
    : `${training.folds}-fold, ${training.groups} groups`;
}

function VersionRow(props: {
  projectId: string;
  version: ModelVersionItem;
  expanded: boolean;
  onToggle: () => void;
  canDelete: boolean;
  deleting: boolean;
  onDelete: () => void;
}) {
  const { version } = props;
  const synthetic = version.syntheticTest;
  const own = version.ownLabels;
  return (
    <>
      <tr data-testid={`model-version-${version.id}`}>
        <td>
          <button
            type="button"
            onClick={props.onToggle}
            aria-expanded={props.expanded}
            style={{ border: "none", background: "none", padding: 0, color: "var(--accent)", textAlign: "left" }}
          >
            {props.expanded ? "▾" : "▸"} {version.name}
          </button>{" "}
          {version.builtIn && <span className="badge">built-in</span>}{" "}
          {version.isDefault && <span className="badge">default</span>}{" "}
          {!version.available && <span className="error">unavailable: {version.unavailableReason}</span>}
        </td>
        <td style={{ textAlign: "center" }} data-testid="model-features" title={FEATURE_SET_LABELS[version.featureSet]}>
          {version.featureSet}
        </td>
        <td
          style={{ textAlign: "center" }}
          data-testid="synthetic-test"
          title={synthetic?.evaluation ?? "No synthetic test: only built-in models have one"}
        >
          {synthetic ? `${percent(synthetic.weightedAccuracy)} (n = ${synthetic.n})` : "–"}
        </td>
        <td
          style={{ textAlign: "center" }}
          data-testid="own-labels"
          title={own ? own.evaluation : (version.ownLabelsMissing ?? undefined)}
        >
          {own ? (
            <>
              {percent(own.weightedAccuracy)} (n = {own.n})
              <div className="muted" style={{ fontSize: "0.75rem" }}>
                {own.kind === "cross-validation" ? validationShort(version) : "stored analyses"}
              </div>
            </>
          ) : (
            "–"
          )}
        </td>
        <td style={{ textAlign: "right" }}>
          {props.canDelete && (
            <button type="button" className="danger" disabled={props.deleting} onClick={props.onDelete}>
              Delete
            </button>
          )}
        </td>
      </tr>
      {props.expanded && (
        <tr>
          <td colSpan={5}>
            <div className="muted" style={{ fontSize: "0.85rem", marginBottom: 6 }}>
              Classes: {version.classes.join(", ")} · features: {FEATURE_SET_LABELS[version.featureSet]} · created{" "}
              {version.createdAt.toLocaleString()}
            </div>
            {version.training && (
              <div className="muted" style={{ fontSize: "0.85rem", marginBottom: 6 }}>
                Trained on{" "}
                {Object.entries(version.training.perClass)
                  .map(([c, n]) => `${c} ${n}`)
                  .join(", ")}
                {version.training.skipped.length > 0
                  ? ` · ${version.training.skipped.length} labelled images left out`
                  : ""}{" "}
                · features {version.training.features.computed} computed, {version.training.features.cached} cached ·
                took {(version.training.timingsMs.total / 1000).toFixed(1)} s
              </div>
            )}
            {own ? (
              <ScoresDetail
                title="On your labels"
                testId="own-label-scores"
                scores={own}
                drillDown={own.perImage ? { projectId: props.projectId, modelVersionId: version.id } : null}
                noDrillDownReason={
                  own.perImage
                    ? null
                    : "Per-image predictions are not stored for this version: retrain to see the images in each cell."
                }
              />
            ) : (
              <p className="muted" style={{ fontSize: "0.85rem" }} data-testid="own-labels-missing">
                On your labels: {version.ownLabelsMissing}
              </p>
            )}
            {synthetic && (
              <ScoresDetail title="Synthetic test (model card)" testId="synthetic-scores" scores={synthetic} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
