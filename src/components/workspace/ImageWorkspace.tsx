"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { errorMessage } from "~/components/error-message";
import { LabelClassManager } from "~/components/label-classes/LabelClassManager";
import { labelAt } from "~/components/objects/label-map";
import { ObjectHoverReadout, useObjectHover } from "~/components/objects/ObjectHover";
import { objectUnits } from "~/components/objects/object-set";
import { ObjectsPanel } from "~/components/objects/ObjectsPanel";
import { SetScaleForm } from "~/components/objects/SetScaleForm";
import { useObjects } from "~/components/objects/use-objects";
import { CollaborationBar } from "~/components/presence/CollaborationBar";
import type { ProjectCan } from "~/components/projects/use-project-can";
import { useProjectPage } from "~/components/projects/use-project-page";
import { useWindowLevel, useWindowedPyramid } from "~/components/display/use-window-level";
import { WindowLevelPanel } from "~/components/display/WindowLevelPanel";
import { camAgreement, sampleOnGrid } from "~/core/analysis/mask-agreement";
import type { RouterOutputs } from "~/trpc/react";
import { AgreementTable } from "./AgreementTable";
import { AnalysisControls } from "./AnalysisControls";
import { ProjectSettingsBar } from "./ProjectSettingsBar";
import { ClustersPanel } from "./ClustersPanel";
import { ComparePaneChoices, unavailableOverlays, useComparePanes } from "./ComparePanes";
import { ConflictBanner } from "./ConflictBanner";
import { LabelBar } from "./LabelBar";
import { LayerPanel } from "./LayerPanel";
import { DEFAULT_LAYER_SETTINGS, type LayerSettings } from "./layer-settings";
import { MapLegends } from "./MapLegends";
import { LivePixelReadout } from "./PixelReadout";
import { RegionList } from "./RegionList";
import { SamToolSlot } from "./SamPanel";
import { ToolBar } from "./ToolBar";
import { useAnalysisChoice } from "./use-analysis-choice";
import { useAnalysisMaps } from "./use-analysis-maps";
import { useAutoAnalysis } from "./use-auto-analysis";
import { useCameraControls } from "./use-camera-controls";
import { useClustering } from "./use-clustering";
import { useImageLabel } from "./use-image-label";
import { useImagePyramid } from "./use-image-pyramid";
import { usePixelReadout } from "./use-pixel-readout";
import { describeSync, useRegionSync } from "./use-region-sync";
import { useSam2Models } from "./use-sam2-models";
import { useWorkspaceKeyboard } from "./use-workspace-keyboard";
import { WorkspaceHeader } from "./WorkspaceHeader";
import { WorkspaceViewer } from "./WorkspaceViewer";

/** The image page: viewer, overlays, analysis parameters, agreement, labels and regions. */
export function ImageWorkspace({ projectId, imageId }: { projectId: string; imageId: string }) {
  const { trpc, queryClient, router, project, labelClasses } = useProjectPage(projectId);
  const workspace = useQuery(trpc.analysis.workspace.queryOptions({ projectId, imageId }));
  const annotations = useQuery(trpc.annotation.forImage.queryOptions({ projectId, imageId }));

  if (workspace.error) return <p className="error">{errorMessage(workspace.error)}</p>;
  if (!workspace.data || !project.data || !labelClasses.data) return <p className="muted">Loading…</p>;
  return (
    <LoadedWorkspace
      key={imageId}
      projectId={projectId}
      projectName={project.data.name}
      can={project.data.can}
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

function LoadedWorkspace(props: {
  projectId: string;
  projectName: string;
  can: ProjectCan;
  workspace: RouterOutputs["analysis"]["workspace"];
  annotations: RouterOutputs["annotation"]["forImage"] | undefined;
  labelClasses: { id: string; name: string; color: string }[];
  onNavigate: (imageId: string) => void;
  invalidate: () => Promise<void>;
}) {
  const { projectId, workspace, can, labelClasses } = props;
  const { image, analyses, navigation } = workspace;
  const canAnnotate = can.annotate;

  // ---------- editor, image, camera ----------
  const editor = useMemo(
    () => new AnnotationEditor({ imageSize: { width: image.width, height: image.height } }),
    [image.width, image.height],
  );
  useEffect(() => editor.setReadOnly(!canAnnotate), [editor, canAnnotate]);
  const sam2 = useSam2Models(projectId).availability;
  useEffect(
    () =>
      editor.setDisabledTools([...(can.setScale ? [] : ["scale" as const]), ...(sam2.enabled ? [] : ["sam" as const])]),
    [editor, can.setScale, sam2.enabled],
  );
  const { pyramid, error: imageError } = useImagePyramid(image.displayUrl, image);
  const camera = useCameraControls(editor, image);
  // Window/level: display only (the drawn pyramid), never the stored image or a measurement.
  const windowLevel = useWindowLevel(image);
  const shownPyramid = useWindowedPyramid(pyramid, windowLevel, image);

  // ---------- analysis ----------
  const installed = workspace.installedModels;
  const choice = useAnalysisChoice(analyses, installed, workspace.projectClassification);
  const { k, base } = choice;
  const maps = useAnalysisMaps(base);
  const clustering = useClustering(maps.grey, maps.clusters, k);
  const auto = useAutoAnalysis({
    projectId,
    imageId: image.id,
    analyses,
    k,
    model: choice.model,
    camClass: choice.camClass,
    classification: choice.classification,
    canAnalyse: can.analyse,
    onSaved: () => void props.invalidate(),
  });
  const [settings, setSettings] = useState<LayerSettings>(DEFAULT_LAYER_SETTINGS);
  const [target, setTarget] = useState<number | null>(null);
  // A smaller K may drop the chosen cluster: then there is no target (adjusted while rendering).
  if (target !== null && clustering && target >= clustering.k) setTarget(null);
  const pickTarget = (id: number | null) => {
    setTarget(id);
    if (id !== null) setSettings((s) => ({ ...s, target: { ...s.target, visible: true } }));
  };

  // ---------- agreement ----------
  const fullRect = useMemo(
    () => ({ x: 0, y: 0, width: image.width, height: image.height }),
    [image.width, image.height],
  );
  // The CAM lies where its analysis says (the classifier's centre crop, or the analysed area by tiles).
  const camRect = maps.camFrame?.rect ?? fullRect;
  const [threshold, setThreshold] = useState(0.5);
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
  const classColors = useMemo(() => new Map(labelClasses.map((c) => [c.id, c.color])), [labelClasses]);
  const imageLabel = useImageLabel({
    projectId,
    imageId: image.id,
    datasetId: image.dataset.id,
    annotations: props.annotations,
  });
  const regionClassName = labelClasses.find((c) => c.id === editor.settings.labelClassId)?.name ?? null;

  // ---------- objects ----------
  const objects = useObjects({ projectId, imageId: image.id, pyramid, image, sam2Model: sam2.defaultModel });
  const objectHover = useObjectHover(image, {
    labelMap: objects.labelMap,
    byLabel: objects.byLabel,
    enabled: settings.objects.visible,
  });
  const selectObjectAt = (point: { x: number; y: number }) => {
    if (!objects.labelMap || !settings.objects.visible) return;
    if (editor.toolId !== "pan" && editor.toolId !== "select") return;
    const label = labelAt(objects.labelMap, image, point);
    if (label > 0) objects.select(label);
  };

  // ---------- readout ----------
  const readout = usePixelReadout(image, {
    samples: windowLevel.samples,
    lut: windowLevel.currentLut,
    cam: maps.cam,
    camRect,
    clustering,
    fullRect,
  });
  const readoutHover = readout.onHover;
  const objectsHover = objectHover.onHover;
  const onHover = useCallback(
    (point: { x: number; y: number } | null) => {
      readoutHover(point);
      objectsHover(point);
    },
    [readoutHover, objectsHover],
  );

  // ---------- compare panes ----------
  const pending = auto.pending || maps.loading ? "Analysing…" : "Not analysed yet.";
  const unavailable = unavailableOverlays({ maps, clustering, target, analysed: base !== null, pending });
  const layerUnavailable = {
    ...unavailable,
    ...(objects.overlay ? {} : { objects: objects.set ? "Loading the outlines…" : "Run Objects first (panel below)." }),
    ...(image.analysedArea ? {} : { excluded: "The whole image is analysed: nothing is left out." }),
    ...(maps.camFrame?.centreCrop
      ? {}
      : {
          camCrop: maps.camFrame
            ? "The classifier saw the whole analysed area (tiles): there is no crop."
            : "No class activation map yet.",
        }),
  };
  const [compare, setCompare] = useState(false);
  const { panes, setPanes } = useComparePanes(compare, unavailable);

  useWorkspaceKeyboard({
    editor,
    canAnnotate,
    labelClasses,
    label: imageLabel.label,
    navigation,
    navigate: props.onNavigate,
    fit: camera.fit,
    zoom: camera.zoom,
    toggleCompare: () => setCompare(!compare),
  });

  /** The toolbar's zoom buttons. */
  const cameraControls = { onZoom: camera.zoom, onFit: camera.fit, onActualSize: camera.actualSize };
  /** The cluster count and the picked cluster, shared by the analysis controls and the clusters panel. */
  const clusterTarget = { k, target, onTarget: pickTarget };

  return (
    <div data-testid="image-workspace">
      <WorkspaceHeader
        projectId={projectId}
        projectName={props.projectName}
        image={image}
        navigation={navigation}
        onNavigate={props.onNavigate}
      />
      <CollaborationBar projectId={projectId} imageId={image.id} />
      <LabelBar
        classes={labelClasses}
        current={imageLabel.labelId}
        canLabel={canAnnotate}
        onLabel={imageLabel.label}
        pending={false}
      />
      {imageLabel.error && <p className="error">{errorMessage(imageLabel.error)}</p>}
      <ConflictBanner conflicts={sync.conflicts} onResolve={(key, choice) => void sync.resolveConflict(key, choice)} />
      <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) 320px", gap: 12, marginTop: 8 }}>
        <div>
          <ToolBar
            editor={editor}
            classes={labelClasses}
            canDraw={canAnnotate}
            canSetScale={can.setScale}
            sam={sam2}
            {...cameraControls}
            compare={compare}
            onCompare={setCompare}
          />
          <SamToolSlot
            editor={editor}
            projectId={projectId}
            image={image}
            availability={sam2}
            classes={labelClasses}
            canDraw={canAnnotate}
          />
          {compare && <ComparePaneChoices panes={panes} unavailable={unavailable} onChange={setPanes} />}
          <div
            style={{
              height: "min(72vh, 760px)",
              border: "1px solid var(--line)",
              borderRadius: 8,
              overflow: "hidden",
              position: "relative",
            }}
          >
            {can.setScale && (
              <SetScaleForm
                editor={editor}
                projectId={projectId}
                imageId={image.id}
                datasetId={image.dataset.id}
                datasetName={image.dataset.name}
                current={image.pixelSize}
              />
            )}
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
            <ObjectHoverReadout
              store={objectHover.store}
              units={objects.set ? objectUnits(image.pixelSize, image.width, objects.set.width) : null}
            />
            {shownPyramid && (
              <WorkspaceViewer
                editor={editor}
                data={{
                  pyramid: shownPyramid,
                  fullRect,
                  camRect,
                  camCrop: maps.camFrame?.centreCrop ? maps.camFrame.rect : null,
                  analysedArea: image.analysedArea,
                  cam: maps.cam,
                  segmentation: maps.segmentation,
                  contrast: maps.contrast,
                  clustering,
                  target,
                  objects: objects.overlay,
                  objectsPreview: objects.preview?.canvas ?? null,
                  pixelSize: image.pixelSize,
                }}
                settings={settings}
                compare={panes}
                classColors={classColors}
                onHover={onHover}
                onSize={camera.onSize}
                onClickImage={selectObjectAt}
              />
            )}
          </div>
          <LivePixelReadout store={readout.hover} bitDepth={image.bitDepth} />
          {maps.error && <p className="error">{maps.error}</p>}
        </div>
        <aside>
          <ProjectSettingsBar
            projectId={projectId}
            model={choice.model}
            models={installed}
            k={k}
            target={target}
            classification={choice.classification}
            canSave={can.manageSettings}
          />
          <AnalysisControls
            analysis={base}
            onK={choice.setK}
            clusterCount={clustering?.k ?? 0}
            {...clusterTarget}
            models={installed}
            model={choice.model}
            onModel={choice.setModel}
            classification={choice.classification}
            onClassification={choice.setClassification}
            onCamClass={choice.setCamClass}
            canRun={can.analyse}
            saveState={auto.saveState}
          />
          <ClustersPanel
            clustering={clustering}
            segmentation={maps.segmentation}
            analysisId={base?.id}
            {...clusterTarget}
            editor={editor}
            canAnnotate={canAnnotate}
            regionClassName={regionClassName}
            pendingText={pending}
          />
          <ObjectsPanel
            objects={objects}
            projectId={projectId}
            image={image}
            pixelSize={image.pixelSize}
            canRun={can.analyse}
            canSetScale={can.setScale}
            canAnnotate={canAnnotate}
            onSetScale={() => editor.setTool("scale")}
            editor={editor}
            regionClassName={regionClassName}
            sam2={sam2.defaultModel ? { model: sam2.defaultModel } : null}
          />
          <WindowLevelPanel state={windowLevel} />
          <LayerPanel settings={settings} unavailable={layerUnavailable} onChange={setSettings} />
          <MapLegends
            settings={settings}
            unavailable={layerUnavailable}
            camCentreCrop={maps.camFrame?.centreCrop ?? true}
          />
          <AgreementTable
            agreement={agreement}
            threshold={threshold}
            onThreshold={setThreshold}
            unavailable={maps.cam ? null : "Needs a class activation map (a classifier model in models/)."}
          />
          <RegionList
            editor={editor}
            classes={labelClasses}
            canEdit={canAnnotate}
            saveStatus={describeSync(sync)}
            saveError={sync.error}
            onRetry={() => void sync.retry()}
            pixelSize={image.pixelSize}
          />
          <LabelClassManager projectId={projectId} canEdit={can.manageLabelClasses} />
          <p className="muted" style={{ fontSize: "0.78rem" }}>
            Keys: H pan · V select · P polygon · R rectangle · B brush · E eraser · M SAM 2 · S set scale · [ ] brush
            size · Del delete · Ctrl+Z / Ctrl+Shift+Z undo / redo · F fit · + − zoom · C compare · ← → images · 1–9
            label
          </p>
        </aside>
      </div>
    </div>
  );
}
