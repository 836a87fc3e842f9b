"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import type { Size, Vec } from "~/components/canvas/camera";
import { createPixelReader, loadImagePyramid, type ImagePyramid } from "~/components/canvas/image-pyramid";
import { sampleMap } from "~/components/canvas/map-pixels";
import { errorMessage } from "~/components/error-message";
import {
  encodeMaskRuns,
  REGION_GEOMETRY_VERSION,
  type MaskGeometry,
} from "~/core/regions/region-geometry";
import { camAgreement, sampleOnGrid } from "~/core/analysis/mask-agreement";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { AgreementTable } from "./AgreementTable";
import { AnalysisControls, NO_MODEL } from "./AnalysisControls";
import { ClusterLegend } from "./ClusterLegend";
import { ConflictBanner } from "./ConflictBanner";
import { HoverStore } from "./hover-store";
import { LabelBar } from "./LabelBar";
import { LabelClassManager } from "~/components/label-classes/LabelClassManager";
import { LayerPanel } from "./LayerPanel";
import {
  COMPARABLE,
  DEFAULT_LAYER_SETTINGS,
  OVERLAY_LABELS,
  type LayerSettings,
  type OverlayId,
} from "./layer-settings";
import { PixelReadout } from "./PixelReadout";
import { RegionList } from "./RegionList";
import { ToolBar } from "./ToolBar";
import { useAnalysisMaps, type WorkspaceAnalysis } from "./use-analysis-maps";
import { useClustering } from "./use-clustering";
import { useRegionSync } from "./use-region-sync";
import { CollaborationBar } from "~/components/presence/CollaborationBar";
import { WorkspaceViewer } from "./WorkspaceViewer";

const modelOf = (analysis: WorkspaceAnalysis): string => analysis.params?.classifier?.model ?? NO_MODEL;
type CamClass = "predicted" | number;
const camClassOf = (analysis: WorkspaceAnalysis): CamClass =>
  analysis.params?.classifier?.camClass ?? "predicted";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))
  );
}

/** The image page: viewer, overlays, analysis parameters, agreement, labels and regions. */
export function ImageWorkspace({ projectId, imageId }: { projectId: string; imageId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const workspace = useQuery(trpc.analysis.workspace.queryOptions({ projectId, imageId }));
  const annotations = useQuery(trpc.annotation.forImage.queryOptions({ projectId, imageId }));
  const labelClasses = useQuery(trpc.labelClass.list.queryOptions({ projectId }));

  if (workspace.error) return <p className="error">{errorMessage(workspace.error)}</p>;
  if (!workspace.data || !project.data || !labelClasses.data) return <p className="muted">Loading…</p>;
  const role = project.data.role;
  return (
    <LoadedWorkspace
      key={imageId}
      projectId={projectId}
      projectName={project.data.name}
      canAnnotate={role !== "VIEWER"}
      canEditClasses={role === "OWNER" || role === "EDITOR"}
      workspace={workspace.data}
      annotations={annotations.data}
      labelClasses={labelClasses.data}
      onNavigate={(id) => router.push(`/projects/${projectId}/images/${id}`)}
      invalidate={() =>
        queryClient.invalidateQueries({ queryKey: trpc.analysis.workspace.queryKey({ projectId, imageId }) })
      }
    />
  );
}

type WorkspaceData = RouterOutputs["analysis"]["workspace"];
type AnnotationsData = RouterOutputs["annotation"]["forImage"] | undefined;

function LoadedWorkspace(props: {
  projectId: string;
  projectName: string;
  canAnnotate: boolean;
  canEditClasses: boolean;
  workspace: WorkspaceData;
  annotations: AnnotationsData;
  labelClasses: { id: string; name: string; color: string }[];
  onNavigate: (imageId: string) => void;
  invalidate: () => Promise<void>;
}) {
  const { projectId, workspace, canAnnotate } = props;
  const { image, analyses, navigation } = workspace;
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  // ---------- editor, camera, image ----------
  const editor = useMemo(
    () => new AnnotationEditor({ imageSize: { width: image.width, height: image.height } }),
    [image.width, image.height],
  );
  useEffect(() => {
    editor.readOnly = !canAnnotate;
  }, [editor, canAnnotate]);
  const [pyramid, setPyramid] = useState<ImagePyramid | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadImagePyramid(image.displayUrl)
      .then((loaded) => !cancelled && setPyramid(loaded))
      .catch((error: unknown) => !cancelled && setImageError(errorMessage(error)));
    return () => {
      cancelled = true;
    };
  }, [image.displayUrl]);
  const paneSize = useRef<Size | null>(null);
  const fitted = useRef(false);
  const fit = useCallback(() => {
    if (paneSize.current) editor.camera.fit(image, paneSize.current);
  }, [editor, image]);
  const onSize = useCallback(
    (size: Size) => {
      paneSize.current = size;
      if (!fitted.current) {
        fitted.current = true;
        editor.camera.fit(image, size);
      }
    },
    [editor, image],
  );
  const zoom = useCallback(
    (factor: number) => {
      const size = paneSize.current ?? { width: 800, height: 600 };
      editor.camera.zoomAt(factor, { x: size.width / 2, y: size.height / 2 });
    },
    [editor],
  );
  const actualSize = useCallback(() => {
    const size = paneSize.current ?? { width: 800, height: 600 };
    const { scale } = editor.camera.get();
    editor.camera.zoomAt(1 / scale, { x: size.width / 2, y: size.height / 2 });
  }, [editor]);

  // ---------- analysis parameters ----------
  const installed = workspace.installedModels;
  const [model, setModel] = useState<string>(() =>
    analyses[0]
      ? modelOf(analyses[0])
      : (installed.find((m) => m.isDefault)?.name ?? installed[0]?.name ?? NO_MODEL),
  );
  const [camClass, setCamClass] = useState<CamClass>("predicted");
  const base =
    analyses.find((analysis) => modelOf(analysis) === model && camClassOf(analysis) === camClass) ??
    analyses.find((analysis) => modelOf(analysis) === model) ??
    analyses[0] ??
    null;
  const [k, setK] = useState<number>(() => base?.ks[0] ?? 3);
  const [target, setTarget] = useState<number | null>(null);
  const [settings, setSettings] = useState<LayerSettings>(DEFAULT_LAYER_SETTINGS);
  const [threshold, setThreshold] = useState(0.5);
  const [compare, setCompare] = useState(false);
  const maps = useAnalysisMaps(base);
  const clustering = useClustering(maps.grey, maps.clusters, k);
  useEffect(() => {
    if (target !== null && clustering && target >= clustering.k) setTarget(null);
  }, [clustering, target]);

  // Saving: every (K, model, CAM class) the user looks at becomes a stored Analysis with its parameters.
  const run = useMutation(
    trpc.analysis.run.mutationOptions({
      onSuccess: () => void props.invalidate(),
    }),
  );
  const runMutate = useRef(run.mutate);
  runMutate.current = run.mutate;
  const savedForK = analyses.some(
    (analysis) => modelOf(analysis) === model && camClassOf(analysis) === camClass && analysis.ks.includes(k),
  );
  const runKey = `${k}|${model}|${camClass}`;
  const requested = useRef(new Set<string>());
  useEffect(() => {
    if (!canAnnotate || savedForK || requested.current.has(runKey)) return;
    const timer = setTimeout(
      () => {
        requested.current.add(runKey);
        runMutate.current({
          projectId,
          imageId: image.id,
          k,
          model: model === NO_MODEL ? null : model,
          ...(camClass === "predicted" ? {} : { camClass }),
        });
      },
      analyses.length === 0 ? 0 : 400,
    );
    return () => clearTimeout(timer);
  }, [canAnnotate, savedForK, runKey, k, model, camClass, projectId, image.id, analyses.length]);
  const saveState = run.isPending
    ? { status: "saving" as const, message: null }
    : run.error
      ? { status: "error" as const, message: errorMessage(run.error) }
      : savedForK
        ? {
            status: "saved" as const,
            message: `Saved as an analysis: K = ${k}${model ? `, model ${model}` : ", no classifier"}.`,
          }
        : {
            status: "idle" as const,
            message: canAnnotate
              ? null
              : analyses.length
                ? "Viewing only: not saved."
                : "Not analysed yet: an annotator can analyse it.",
          };

  // ---------- agreement ----------
  const fullRect = useMemo(
    () => ({ x: 0, y: 0, width: image.width, height: image.height }),
    [image.width, image.height],
  );
  const camRect = image.camCrop;
  const agreement = useMemo(() => {
    if (!maps.cam || !clustering) return null;
    const grid = clustering.labels;
    const placed = sampleOnGrid(maps.cam, camRect, fullRect, grid.width, grid.height);
    return camAgreement(placed.image, grid, clustering.k, maps.segmentation, {
      threshold,
      valid: placed.covered,
    });
  }, [maps.cam, maps.segmentation, clustering, camRect, fullRect, threshold]);

  // ---------- annotations ----------
  const sync = useRegionSync({
    editor,
    projectId,
    imageId: image.id,
    loaded: props.annotations?.regions,
    enabled: canAnnotate,
  });
  const classColors = useMemo(
    () => new Map(props.labelClasses.map((c) => [c.id, c.color])),
    [props.labelClasses],
  );
  const annotationsKey = trpc.annotation.forImage.queryKey({ projectId, imageId: image.id });
  const [labelId, setLabelId] = useState<string | null>(props.annotations?.label?.labelClassId ?? null);
  useEffect(() => {
    if (props.annotations) setLabelId(props.annotations.label?.labelClassId ?? null);
  }, [props.annotations]);
  const setLabel = useMutation(
    trpc.annotation.setImageLabels.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: annotationsKey });
        // The dataset grid shows labels too.
        void queryClient.invalidateQueries({
          queryKey: trpc.dataset.images.queryKey({ projectId, datasetId: image.dataset.id }),
        });
      },
    }),
  );
  const label = useCallback(
    (labelClassId: string | null) => {
      setLabelId(labelClassId);
      setLabel.mutate({ projectId, imageIds: [image.id], labelClassId });
    },
    [setLabel, projectId, image.id],
  );
  const regionClassName = props.labelClasses.find((c) => c.id === editor.settings.labelClassId)?.name ?? null;
  const makeMaskRegion = useCallback(
    (mask: Uint8Array, width: number, height: number, source: MaskGeometry["source"]) => {
      const geometry: MaskGeometry = {
        schemaVersion: REGION_GEOMETRY_VERSION,
        kind: "mask",
        gridWidth: width,
        gridHeight: height,
        runs: encodeMaskRuns(mask),
        source,
      };
      editor.addRegion({ labelClassId: editor.settings.labelClassId, geometry });
    },
    [editor],
  );
  const clusterToRegion = useCallback(
    (clusterId: number) => {
      if (!clustering) return;
      const labels = clustering.labels;
      const mask = new Uint8Array(labels.data.length);
      for (let i = 0; i < mask.length; i++) mask[i] = labels.data[i] === clusterId ? 255 : 0;
      makeMaskRegion(mask, labels.width, labels.height, {
        analysisId: base?.id,
        map: `clusters-${clustering.k}`,
        clusterId,
      });
    },
    [clustering, makeMaskRegion, base],
  );

  // ---------- readout ----------
  const hover = useMemo(() => new HoverStore(), []);
  const readPixel = useMemo(() => (pyramid ? createPixelReader(pyramid) : null), [pyramid]);
  const latest = useRef({ maps, clustering, camRect, fullRect, readPixel });
  latest.current = { maps, clustering, camRect, fullRect, readPixel };
  const onHover = useCallback(
    (point: Vec | null) => {
      if (!point || point.x < 0 || point.y < 0 || point.x >= image.width || point.y >= image.height) {
        hover.set(null);
        return;
      }
      const current = latest.current;
      const cam = current.maps.cam ? sampleMap(current.maps.cam, current.camRect, point.x, point.y) : null;
      hover.set({
        x: Math.floor(point.x),
        y: Math.floor(point.y),
        grey: current.readPixel ? current.readPixel(point.x, point.y) : null,
        cam: cam === null ? null : cam / 255,
        cluster: current.clustering
          ? sampleMap(current.clustering.labels, current.fullRect, point.x, point.y)
          : null,
      });
    },
    [hover, image.width, image.height],
  );

  // ---------- compare panes ----------
  const unavailable: Partial<Record<OverlayId, string>> = {};
  const pending = run.isPending || maps.loading ? "Analysing…" : "Not analysed yet.";
  if (!maps.cam)
    unavailable.cam = base ? "No class activation map: no classifier model is installed (models/)." : pending;
  if (!clustering) unavailable.clusters = pending;
  if (!maps.segmentation) unavailable.segmentation = pending;
  if (!maps.contrast) unavailable.texture = pending;
  if (target === null) unavailable.target = "Pick a target cluster in the legend.";
  const [comparePanes, setComparePanes] = useState<OverlayId[] | null>(null);
  const defaultPanes = (["cam", "clusters", "segmentation", "texture"] as OverlayId[])
    .filter((id) => !unavailable[id])
    .slice(0, 3);
  const panes = compare ? (comparePanes ?? defaultPanes).filter((id) => !unavailable[id]) : null;

  // ---------- keyboard ----------
  const keyState = useRef({
    label,
    labelClasses: props.labelClasses,
    navigation,
    canAnnotate,
    fit,
    zoom,
    compare,
    navigate: props.onNavigate,
  });
  keyState.current = {
    label,
    labelClasses: props.labelClasses,
    navigation,
    canAnnotate,
    fit,
    zoom,
    compare,
    navigate: props.onNavigate,
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.altKey) return;
      const state = keyState.current;
      const plain = !event.ctrlKey && !event.metaKey;
      if (plain && /^[0-9]$/.test(event.key) && state.canAnnotate && editor.isIdle()) {
        const index = Number(event.key) - 1;
        if (event.key === "0") state.label(null);
        else if (state.labelClasses[index]) state.label(state.labelClasses[index].id);
        event.preventDefault();
        return;
      }
      if (plain && editor.isIdle() && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
        const id = event.key === "ArrowLeft" ? state.navigation.previousId : state.navigation.nextId;
        if (id) state.navigate(id);
        event.preventDefault();
        return;
      }
      if (plain && (event.key === "f" || event.key === "F"))
        return void (state.fit(), event.preventDefault());
      if (plain && (event.key === "+" || event.key === "="))
        return void (state.zoom(1.25), event.preventDefault());
      if (plain && event.key === "-") return void (state.zoom(0.8), event.preventDefault());
      if (plain && (event.key === "c" || event.key === "C"))
        return void (setCompare(!state.compare), event.preventDefault());
      if (
        editor.keyDown({
          key: event.key,
          shiftKey: event.shiftKey,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
        })
      )
        event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editor]);

  const syncText =
    sync.conflicts.size > 0
      ? `${sync.conflicts.size} not saved (changed by someone else)`
      : sync.status === "saving"
        ? "saving…"
        : sync.status === "saved"
          ? "all changes saved"
          : sync.status === "error"
            ? "not saved"
            : "";

  return (
    <div data-testid="image-workspace">
      <p className="muted" style={{ margin: "0 0 6px" }}>
        <Link href="/projects">Projects</Link> /{" "}
        <Link href={`/projects/${projectId}`}>{props.projectName}</Link> /{" "}
        <Link href={`/projects/${projectId}/datasets/${image.dataset.id}`}>{image.dataset.name}</Link> /
      </p>
      <div className="row" style={{ justifyContent: "space-between", marginBottom: 8 }}>
        <h1 style={{ margin: 0 }} data-testid="image-title">
          {image.fileName}{" "}
          <span className="muted" style={{ fontSize: "0.85rem", fontWeight: 400 }}>
            {image.width}×{image.height} · {image.bitDepth}-bit · {image.format.toUpperCase()}
          </span>
        </h1>
        <div className="row">
          <button
            type="button"
            disabled={!navigation.previousId}
            onClick={() => navigation.previousId && props.onNavigate(navigation.previousId)}
            title="Previous image (←)"
          >
            ← Previous
          </button>
          <span className="muted">
            {navigation.position + 1} of {navigation.count}
          </span>
          <button
            type="button"
            disabled={!navigation.nextId}
            onClick={() => navigation.nextId && props.onNavigate(navigation.nextId)}
            title="Next image (→)"
          >
            Next →
          </button>
        </div>
      </div>
      <CollaborationBar projectId={projectId} imageId={image.id} />
      <LabelBar
        classes={props.labelClasses}
        current={labelId}
        canLabel={canAnnotate}
        onLabel={label}
        pending={false}
      />
      {setLabel.error && <p className="error">{errorMessage(setLabel.error)}</p>}
      <ConflictBanner
        conflicts={sync.conflicts}
        onResolve={(key, choice) => void sync.resolveConflict(key, choice)}
      />
      <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) 320px", gap: 12, marginTop: 8 }}>
        <div>
          <ToolBar
            editor={editor}
            classes={props.labelClasses}
            canDraw={canAnnotate}
            onZoom={zoom}
            onFit={fit}
            onActualSize={actualSize}
            compare={compare}
            onCompare={setCompare}
          />
          {compare && (
            <div className="row muted" style={{ marginBottom: 4 }} data-testid="compare-choices">
              Panes:
              {COMPARABLE.map((id) => (
                <label key={id} className="row" style={{ gap: 4 }} title={unavailable[id]}>
                  <input
                    type="checkbox"
                    disabled={Boolean(unavailable[id])}
                    checked={Boolean(panes?.includes(id))}
                    onChange={(event) => {
                      const current = panes ?? [];
                      setComparePanes(
                        event.target.checked
                          ? COMPARABLE.filter((c) => c === id || current.includes(c))
                          : current.filter((c) => c !== id),
                      );
                    }}
                  />
                  {OVERLAY_LABELS[id]}
                </label>
              ))}
            </div>
          )}
          <div
            style={{
              height: "min(72vh, 760px)",
              border: "1px solid var(--line)",
              borderRadius: 8,
              overflow: "hidden",
            }}
          >
            {imageError && (
              <p className="error" style={{ padding: 12 }}>
                The image could not be displayed: {imageError}
              </p>
            )}
            {!pyramid && !imageError && (
              <p className="muted" style={{ padding: 12 }}>
                Loading the image…
              </p>
            )}
            {pyramid && (
              <WorkspaceViewer
                editor={editor}
                data={{
                  pyramid,
                  fullRect,
                  camRect,
                  cam: maps.cam,
                  segmentation: maps.segmentation,
                  contrast: maps.contrast,
                  clustering,
                  target,
                }}
                settings={settings}
                compare={panes}
                classColors={classColors}
                onHover={onHover}
                onSize={onSize}
              />
            )}
          </div>
          <LivePixelReadout store={hover} bitDepth={image.bitDepth} />
          {maps.error && <p className="error">{maps.error}</p>}
        </div>
        <aside>
          <AnalysisControls
            analysis={base}
            k={k}
            onK={setK}
            clusterCount={clustering?.k ?? 0}
            target={target}
            onTarget={(id) => {
              setTarget(id);
              if (id !== null) setSettings((s) => ({ ...s, target: { ...s.target, visible: true } }));
            }}
            models={installed}
            model={model}
            onModel={(next) => {
              setModel(next);
              setCamClass("predicted");
            }}
            onCamClass={setCamClass}
            canRun={canAnnotate}
            saveState={saveState}
          />
          <section className="panel" aria-label="Clusters">
            <h2>Clusters (K = {clustering?.k ?? k})</h2>
            {clustering ? (
              <>
                <ClusterLegend
                  clustering={clustering}
                  target={target}
                  onTarget={(id) => {
                    setTarget(id);
                    if (id !== null) setSettings((s) => ({ ...s, target: { ...s.target, visible: true } }));
                  }}
                  onMakeRegion={canAnnotate ? clusterToRegion : null}
                  regionClassName={regionClassName}
                />
                {target !== null && (
                  <p data-testid="target-share" style={{ margin: "8px 0 0" }}>
                    Cluster {target}: <strong>{clustering.areaPercent[target]?.toFixed(2)} %</strong> of the
                    total image area
                  </p>
                )}
                {canAnnotate && maps.segmentation && (
                  <button
                    type="button"
                    data-testid="segmentation-to-region"
                    style={{ marginTop: 8 }}
                    onClick={() =>
                      maps.segmentation &&
                      makeMaskRegion(
                        maps.segmentation.data,
                        maps.segmentation.width,
                        maps.segmentation.height,
                        { analysisId: base?.id, map: "segmentation" },
                      )
                    }
                  >
                    Segmentation → region{regionClassName ? ` (${regionClassName})` : ""}
                  </button>
                )}
              </>
            ) : (
              <p className="muted">{pending}</p>
            )}
          </section>
          <LayerPanel settings={settings} unavailable={unavailable} onChange={setSettings} />
          <AgreementTable
            agreement={agreement}
            threshold={threshold}
            onThreshold={setThreshold}
            unavailable={maps.cam ? null : "Needs a class activation map (a classifier model in models/)."}
          />
          <RegionList
            editor={editor}
            classes={props.labelClasses}
            canEdit={canAnnotate}
            saveStatus={syncText}
            saveError={sync.error}
            onRetry={() => void sync.retry()}
          />
          <LabelClassManager projectId={projectId} canEdit={props.canEditClasses} />
          <p className="muted" style={{ fontSize: "0.78rem" }}>
            Keys: H pan · V select · P polygon · R rectangle · B brush · E eraser · [ ] brush size · Del
            delete · Ctrl+Z / Ctrl+Shift+Z undo / redo · F fit · + − zoom · C compare · ← → images · 1–9 label
          </p>
        </aside>
      </div>
    </div>
  );
}

/** Only the readout re-renders on pointer moves. */
function LivePixelReadout(props: { store: HoverStore; bitDepth: number }) {
  const values = useSyncExternalStore(props.store.subscribe, props.store.get, props.store.get);
  return <PixelReadout values={values} bitDepth={props.bitDepth} />;
}
