"use client";

import { useState } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { formatNumber } from "~/components/canvas/scale-bar";
import { ChoiceSelect } from "~/components/choice-select";
import { errorMessage } from "~/components/error-message";
import { colormapLut } from "~/core/analysis/colormaps";
import { DEFAULT_OBJECT_PARAMS, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import type { PixelSize } from "~/core/objects/units";
import { REGION_LIMITS } from "~/core/regions/region-geometry";
import { addMaskRegion } from "~/components/workspace/mask-region";
import { objectMask } from "./label-map";
import type { AnalysedAreaRecord } from "~/core/analysed-area/analysed-area";
import { AnalysedAreaForm } from "./AnalysedAreaForm";
import { ObjectParamsForm } from "./ObjectParamsForm";
import { ObjectsHistogram } from "./ObjectsHistogram";
import { ObjectsTable } from "./ObjectsTable";
import { Sam2ImageMasks } from "./Sam2ImageMasks";
import {
  DESCRIPTOR_IDS,
  DESCRIPTORS,
  descriptorHeader,
  imageNumbers,
  objectUnits,
  type DescriptorId,
} from "./object-set";
import { OBJECTS_COLORMAP, type ColorBy, type ObjectsState } from "./use-objects";
import type { ObjectsPreview } from "./use-objects-preview";

/** The outline colourings offered. */
const COLOR_BY: readonly ColorBy[] = ["none", ...DESCRIPTOR_IDS];

/** At most this many regions from one "Objects → regions". */
const MAX_REGIONS_AT_ONCE = 500;

/**
 * Objects of the image: the scale, segmentation parameters and Run (ANNOTATOR+), the image-level
 * numbers, colouring of the outlines with its colour bar, a histogram, the sortable table, and
 * objects turned into annotation regions of the current class.
 */
export function ObjectsPanel(props: {
  objects: ObjectsState;
  projectId: string;
  image: { id: string; width: number; height: number; analysedArea: AnalysedAreaRecord | null };
  pixelSize: PixelSize | null;
  canRun: boolean;
  canSetScale: boolean;
  canAnnotate: boolean;
  onSetScale: () => void;
  editor: AnnotationEditor;
  regionClassName: string | null;
  /** SAM 2's automatic masks of this image can be generated (a model is installed). */
  sam2?: { model: string } | null;
}) {
  const { objects, image, pixelSize, editor } = props;
  const set = objects.set;
  const params = objects.draft;
  const setParams = objects.setDraft;
  const shown: ObjectSegmentationParams = params ??
    (objects.classicalSet as { params?: ObjectSegmentationParams } | null)?.params ?? { ...DEFAULT_OBJECT_PARAMS };
  const [histogramOf, setHistogramOf] = useState<DescriptorId>("equivalent_diameter");
  const [regionNote, setRegionNote] = useState<string | null>(null);
  const units = set ? objectUnits(pixelSize, image.width, set.width) : null;

  const toRegions = (labels: number[]) => {
    const map = objects.labelMap;
    if (!set || !map) return;
    if (map.width > REGION_LIMITS.maxMaskSide || map.height > REGION_LIMITS.maxMaskSide) {
      setRegionNote(`The label map is larger than ${REGION_LIMITS.maxMaskSide} px: regions cannot hold it.`);
      return;
    }
    const chosen = labels.slice(0, MAX_REGIONS_AT_ONCE);
    for (const label of chosen) {
      addMaskRegion(editor, objectMask(map, label), map.width, map.height, {
        analysisId: set.id.slice(0, 64),
        map: `objects-${label}`.slice(0, 40),
      });
    }
    setRegionNote(
      `${chosen.length} region${chosen.length === 1 ? "" : "s"} added` +
        (labels.length > chosen.length ? ` (the first ${MAX_REGIONS_AT_ONCE} objects).` : "."),
    );
  };

  return (
    <section className="panel" aria-label="Objects" data-testid="objects-panel">
      <h2>Objects</h2>
      {props.canRun && props.sam2 && (
        <Sam2ImageMasks
          projectId={props.projectId}
          imageId={image.id}
          model={props.sam2.model}
          onGenerated={() => {
            objects.refetchSam2();
            objects.setMethod("sam2");
          }}
        />
      )}
      {objects.available.sam2 && (
        <label className="row muted" style={{ gap: 6, margin: "0 0 8px" }}>
          Shown
          <ChoiceSelect
            label="Objects shown"
            testId="objects-method"
            value={objects.method}
            options={["classical", "sam2"] as const}
            text={(method) =>
              method === "sam2"
                ? "SAM 2 automatic masks"
                : objects.available.classical
                  ? "classical segmentation"
                  : "classical segmentation (not run yet)"
            }
            onChange={objects.setMethod}
          />
        </label>
      )}
      <p className="row" style={{ gap: 6, margin: "0 0 8px" }}>
        <span data-testid="scale-status">
          {pixelSize
            ? `Scale: ${formatNumber(pixelSize.value)} ${pixelSize.unit} per pixel`
            : "No scale: values in px."}
        </span>
        {props.canSetScale && (
          <button type="button" data-testid="set-scale-start" onClick={props.onSetScale}>
            {pixelSize ? "Change scale" : "Set scale"}
          </button>
        )}
      </p>

      <AnalysedAreaForm projectId={props.projectId} image={image} canEdit={props.canSetScale} />

      {props.canRun && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            objects.run(shown);
          }}
          style={{ display: "grid", gap: 6 }}
        >
          <ObjectParamsForm params={shown} onChange={setParams} disabled={objects.running} />
          <PreviewStatus preview={objects.preview} image={image} />
          <div className="row" style={{ gap: 6 }}>
            <button type="submit" data-testid="objects-run" disabled={objects.running}>
              {objects.running ? "Running…" : "Run"}
            </button>
            {objects.running && (
              <span className="row muted" data-testid="objects-running" role="status" style={{ gap: 6 }}>
                <progress style={{ width: 90 }} /> Finding and measuring objects…
              </span>
            )}
          </div>
          {objects.runError && (
            <p className="error" role="alert" data-testid="objects-error">
              {errorMessage(objects.runError)}
            </p>
          )}
        </form>
      )}

      {objects.error && <p className="error">{errorMessage(objects.error)}</p>}
      {!set ? (
        <p className="muted" data-testid="objects-empty">
          {objects.loading ? "Loading…" : props.canRun ? "No objects yet: press Run." : "No objects found yet."}
        </p>
      ) : (
        <div style={{ display: "grid", gap: 10, marginTop: 8 }}>
          <dl
            data-testid="objects-stats"
            style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "2px 10px", margin: 0 }}
          >
            {imageNumbers(set.imageStats, units).map((n) => (
              <div key={n.id} style={{ display: "contents" }}>
                <dt className="muted">{n.label}</dt>
                <dd style={{ margin: 0 }} data-testid={`objects-stat-${n.id}`}>
                  {n.text}
                </dd>
              </div>
            ))}
          </dl>

          <div>
            <label className="row muted" style={{ gap: 6 }}>
              Colour outlines by
              <ChoiceSelect
                label="Colour objects by"
                testId="objects-color-by"
                value={objects.colorBy}
                options={COLOR_BY}
                text={(id) => (id === "none" ? "none (one colour)" : DESCRIPTORS[id].name)}
                onChange={objects.setColorBy}
              />
            </label>
            {objects.colorBy !== "none" && (
              <ColorBar
                range={objects.range}
                scale={units ? units.k ** DESCRIPTORS[objects.colorBy].dimension : 1}
                title={descriptorHeader(objects.colorBy, units)}
              />
            )}
            {objects.labelMapError && <p className="error">{objects.labelMapError}</p>}
          </div>

          <ObjectsHistogram
            objects={set.objects}
            units={units}
            descriptor={histogramOf}
            onDescriptor={setHistogramOf}
          />

          {props.canAnnotate && (
            <div className="row" style={{ gap: 6 }}>
              <button
                type="button"
                data-testid="objects-to-regions"
                disabled={!objects.labelMap || set.objects.length === 0}
                onClick={() => toRegions(set.objects.map((o) => o.label))}
              >
                Objects → regions{props.regionClassName ? ` (${props.regionClassName})` : ""}
              </button>
              <button
                type="button"
                data-testid="object-to-region"
                disabled={!objects.labelMap || objects.selected === null}
                onClick={() => objects.selected !== null && toRegions([objects.selected])}
              >
                Selected → region
              </button>
              {regionNote && (
                <span className="muted" data-testid="objects-region-note">
                  {regionNote}
                </span>
              )}
            </div>
          )}

          {set.objectsTruncated && (
            <p className="muted" style={{ margin: 0 }}>
              The table shows the first {set.objects.length} of {set.count} objects; the CSV export has all.
            </p>
          )}
          <ObjectsTable
            objects={set.objects}
            units={units}
            toImage={{ x: image.width / set.width, y: image.height / set.height }}
            selected={objects.selected}
            onSelect={objects.select}
          />
        </div>
      )}
    </section>
  );
}

/** The outline colours' scale: the colour map from the smallest to the largest value. */
function ColorBar(props: { range: { min: number; max: number } | null; scale: number; title: string }) {
  const lut = colormapLut(OBJECTS_COLORMAP);
  const stops = Array.from({ length: 9 }, (_, i) => {
    const v = Math.round((i / 8) * 255);
    return `rgb(${lut[v * 4]}, ${lut[v * 4 + 1]}, ${lut[v * 4 + 2]}) ${(i / 8) * 100}%`;
  });
  if (!props.range) return null;
  return (
    <div data-testid="objects-colorbar" style={{ marginTop: 4 }}>
      <div style={{ height: 10, borderRadius: 3, background: `linear-gradient(to right, ${stops.join(", ")})` }} />
      <div className="row muted" style={{ justifyContent: "space-between", fontSize: "0.75rem" }}>
        <span>{formatNumber(props.range.min * props.scale, 3)}</span>
        <span>{props.title}</span>
        <span>{formatNumber(props.range.max * props.scale, 3)}</span>
      </div>
    </div>
  );
}

/** The live preview's state under the parameters: count, time, and the grid it ran on. */
function PreviewStatus(props: { preview: ObjectsPreview | null; image: { width: number; height: number } }) {
  const { preview } = props;
  if (!preview) return null;
  const downscaled = preview.size.width < props.image.width;
  return (
    <p className="muted" role="status" data-testid="objects-preview" style={{ margin: 0, fontSize: "0.8rem" }}>
      {preview.status === "error" ? (
        <span className="error" data-testid="objects-preview-error">
          Preview: {preview.error}
        </span>
      ) : (
        <>
          Preview (orange outlines):{" "}
          <strong data-testid="objects-preview-count" data-status={preview.status}>
            {preview.count ?? "…"}
          </strong>{" "}
          {preview.count === 1 ? "object" : "objects"}
          {preview.status === "computing" ? " (updating…)" : ""}
          {preview.ms !== null && preview.status === "done" ? ` in ${Math.round(preview.ms)} ms` : ""}
        </>
      )}
      {downscaled && ` · on the image brought down to ${preview.size.width} × ${preview.size.height} px`}. Run stores
      the full computation.
    </p>
  );
}
