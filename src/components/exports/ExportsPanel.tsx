"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ChoiceSelect } from "~/components/choice-select";
import { JobRunProgress } from "~/components/jobs/JobRunProgress";
import {
  COCO_IMPORT_MODE_TEXT,
  COCO_IMPORT_MODES,
  DEFAULT_COCO_IMPORT_MODE,
  type CocoImportMode,
} from "~/core/coco-import-modes";
import { useLiveJobRuns } from "~/components/jobs/use-live-job-runs";
import { useSam2Models } from "~/components/workspace/use-sam2-models";
import { useTRPC } from "~/trpc/react";
import { ScopeSelects } from "./ScopeSelects";

/**
 * Streamed downloads (CSV results, COCO annotations, PNG overlays, objects) and a COCO import
 * (EDITOR+). Results are those of one settings version (the current one unless another is
 * chosen), whose JSON downloads beside them: never whatever someone last viewed. With a SAM 2
 * model installed, the objects downloads can instead hold its automatic masks (the sets stored
 * for that model and the default generator parameters).
 */
export function ExportsPanel({ projectId, canImport }: { projectId: string; canImport: boolean }) {
  const trpc = useTRPC();
  const [datasetId, setDatasetId] = useState("");
  const [importState, setImportState] = useState<{ busy: boolean; error: string | null; jobRunId: string | null }>({
    busy: false,
    error: null,
    jobRunId: null,
  });
  const [importMode, setImportMode] = useState<CocoImportMode>(DEFAULT_COCO_IMPORT_MODE);
  const settingsVersions = useQuery(trpc.settings.list.queryOptions({ projectId }));
  const current = useQuery(trpc.settings.get.queryOptions({ projectId }));
  // "" = the current settings (resolved by the server when the file is made).
  const [settingsVersion, setSettingsVersion] = useState("");
  const chosen =
    settingsVersion === "" ? current.data : settingsVersions.data?.find((v) => String(v.version) === settingsVersion);
  const params = new URLSearchParams();
  if (datasetId) params.set("datasetId", datasetId);
  if (settingsVersion) params.set("settingsVersion", settingsVersion);
  const query = params.size > 0 ? `?${params.toString()}` : "";
  const base = `/api/projects/${encodeURIComponent(projectId)}/exports`;
  const { availability } = useSam2Models(projectId);
  // "" = classical segmentation; else the name of a ready SAM 2 model.
  const [objectsFrom, setObjectsFrom] = useState("");
  const samModel = availability.readyModels.includes(objectsFrom) ? objectsFrom : "";
  const objectsParams = new URLSearchParams(params);
  if (samModel) {
    objectsParams.set("objects", "sam2");
    objectsParams.set("samModel", samModel);
  }
  const objectsQuery = objectsParams.size > 0 ? `?${objectsParams.toString()}` : "";
  const classicalText = `classical segmentation (settings ${chosen ? (chosen.version === 0 ? "defaults" : `v${chosen.version}`) : "current"})`;

  /** Uploads the file; the import then runs as a job (import-coco) whose progress shows below. */
  async function importFile(file: File) {
    setImportState({ busy: true, error: null, jobRunId: null });
    try {
      const importQuery = new URLSearchParams(datasetId ? { datasetId, mode: importMode } : { mode: importMode });
      const response = await fetch(`${base}/annotations.coco.json?${importQuery.toString()}`, {
        method: "POST",
        body: file,
        headers: { "content-type": "application/json" },
      });
      const body = (await response.json().catch(() => ({ error: `The upload failed (${response.status})` }))) as
        { jobRunId: string } | { error: string };
      setImportState({
        busy: false,
        error: "error" in body ? body.error : null,
        jobRunId: "jobRunId" in body ? body.jobRunId : null,
      });
    } catch {
      setImportState({ busy: false, error: "The upload failed", jobRunId: null });
    }
  }

  return (
    <section className="panel" data-testid="exports-panel">
      <h2>Exports</h2>
      <div className="row">
        <ScopeSelects
          projectId={projectId}
          scopeLabel="Export scope"
          datasetId={datasetId}
          onDatasetId={setDatasetId}
          settingsVersion={settingsVersion}
          onSettingsVersion={setSettingsVersion}
          settingsTestId="export-settings-version"
        />
        {chosen && (
          <a
            href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify({ version: chosen.version, settings: chosen.settings }, null, 2))}`}
            download={`settings-v${chosen.version}.json`}
            data-testid="export-settings-json"
          >
            Settings (JSON)
          </a>
        )}
        <a href={`${base}/results.csv${query}`} download>
          Results (CSV)
        </a>
        <a href={`${base}/annotations.coco.json${query}`} download>
          Annotations (COCO)
        </a>
        <a href={`${base}/overlays.zip${query}`} download>
          Overlays (PNG zip)
        </a>
        {availability.readyModels.length > 0 && (
          <label className="row" style={{ gap: 4 }}>
            Objects from:
            <ChoiceSelect
              label="Objects from"
              testId="export-objects-source"
              value={samModel}
              options={["", ...availability.readyModels]}
              text={(option) => (option ? `SAM 2 (${option})` : classicalText)}
              onChange={setObjectsFrom}
            />
          </label>
        )}
        <a href={`${base}/objects.csv${objectsQuery}`} download data-testid="export-objects-csv">
          Objects (CSV)
        </a>
        <a href={`${base}/objects.coco.json${objectsQuery}`} download data-testid="export-objects-coco">
          Objects (COCO)
        </a>
        <BackgroundExport projectId={projectId} datasetId={datasetId || undefined} />
      </div>
      {canImport && (
        <div className="row" style={{ marginTop: 8 }}>
          <label className="row" style={{ gap: 4 }}>
            Existing regions:
            <ChoiceSelect
              label="What the import does with existing regions"
              testId="import-mode"
              value={importMode}
              options={COCO_IMPORT_MODES}
              text={(mode) => COCO_IMPORT_MODE_TEXT[mode].label}
              onChange={setImportMode}
              disabled={importState.busy}
            />
          </label>
          <span className="muted" data-testid="import-mode-explain" style={{ flexBasis: "100%", order: 1 }}>
            {COCO_IMPORT_MODE_TEXT[importMode].explain}
          </span>
          <label>
            Import COCO annotations{" "}
            <input
              type="file"
              accept=".json,application/json"
              disabled={importState.busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importFile(file);
                e.target.value = "";
              }}
            />
          </label>
          {importState.busy && <span className="muted">Uploading…</span>}
          {importState.error && (
            <span className="error" data-testid="import-result">
              {importState.error}
            </span>
          )}
          {importState.jobRunId && <CocoImportRun projectId={projectId} jobRunId={importState.jobRunId} />}
        </div>
      )}
    </section>
  );
}

/**
 * Large projects: the overlays zip as a background job (POST .../exports/jobs) with live
 * progress, then a link to the file it wrote (GET .../exports/jobs/:jobRunId).
 */
function BackgroundExport({ projectId, datasetId }: { projectId: string; datasetId?: string }) {
  const [state, setState] = useState<{ busy: boolean; jobRunId: string | null; error: string | null }>({
    busy: false,
    jobRunId: null,
    error: null,
  });
  const base = `/api/projects/${encodeURIComponent(projectId)}/exports/jobs`;
  async function start() {
    setState({ busy: true, jobRunId: null, error: null });
    const response = await fetch(base, {
      method: "POST",
      body: JSON.stringify({ kind: "overlays.zip", datasetId }),
      headers: { "content-type": "application/json" },
    });
    const body = (await response.json()) as { jobRunId: string } | { error: string };
    setState({
      busy: false,
      jobRunId: "jobRunId" in body ? body.jobRunId : null,
      error: "error" in body ? body.error : null,
    });
  }
  return (
    <>
      <button type="button" data-testid="background-export" disabled={state.busy} onClick={() => void start()}>
        Overlays zip in the background
      </button>
      {state.error && <span className="error">{state.error}</span>}
      {state.jobRunId && (
        <BackgroundExportRun
          projectId={projectId}
          jobRunId={state.jobRunId}
          href={`${base}/${encodeURIComponent(state.jobRunId)}`}
        />
      )}
    </>
  );
}

function BackgroundExportRun({ projectId, jobRunId, href }: { projectId: string; jobRunId: string; href: string }) {
  const { runs } = useLiveJobRuns({ projectId });
  const run = runs?.find((r) => r.id === jobRunId);
  if (!run) return <span className="muted">Starting the export…</span>;
  if (run.status === "SUCCEEDED") {
    return (
      <a href={href} download data-testid="background-export-link">
        Download the overlays zip
      </a>
    );
  }
  return (
    <div style={{ flexBasis: "100%" }}>
      <JobRunProgress projectId={projectId} run={run} canManage={false} />
    </div>
  );
}

/** The import's run: "import started", then its live progress, then its outcome. */
function CocoImportRun({ projectId, jobRunId }: { projectId: string; jobRunId: string }) {
  const { runs } = useLiveJobRuns({ projectId });
  const run = runs?.find((r) => r.id === jobRunId);
  return (
    <div style={{ flexBasis: "100%" }} data-testid="import-result">
      <span>Import started.</span>
      {run?.status === "SUCCEEDED" && (
        <span data-testid="import-done"> {run.outcome ?? `Imported ${run.progressTotal} regions`}.</span>
      )}
      {run && <JobRunProgress projectId={projectId} run={run} canManage={false} />}
    </div>
  );
}
