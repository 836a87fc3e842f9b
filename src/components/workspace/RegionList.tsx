"use client";

import { useSyncExternalStore } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { formatNumber } from "~/components/canvas/scale-bar";
import type { PixelSize } from "~/core/objects/units";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import type { LabelClassOption } from "./LabelBar";
import { LabelClassSelect } from "./LabelClassSelect";
import { descriptorsInUnits, regionDescriptors, type Measure } from "./region-descriptors";

const KIND_LABELS = { polygon: "Polygon", rectangle: "Rectangle", brush: "Brush", mask: "Mask" } as const;

/**
 * The image's regions: select, change class, delete; the save state; and the selected region's
 * descriptors (in pixels, and in units when the image has a pixel size).
 */
export function RegionList(props: {
  editor: AnnotationEditor;
  /** The image's pixel size (workspace image DTO), for descriptors in physical units. */
  pixelSize?: PixelSize | null;
  classes: LabelClassOption[];
  canEdit: boolean;
  saveStatus: string;
  saveError: string | null;
  onRetry: () => void;
}) {
  const { editor } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  const selectedIndex = editor.regions.findIndex((r) => r.key === editor.selectedKey);
  const selected = selectedIndex >= 0 ? editor.regions[selectedIndex] : undefined;
  return (
    <section className="panel" aria-label="Regions">
      <h2>
        Regions{" "}
        <span className="badge" data-testid="region-count">
          {editor.regions.length}
        </span>{" "}
        <span className="muted" data-testid="save-status" style={{ fontSize: "0.8rem", fontWeight: 400 }}>
          {props.saveStatus}
        </span>
      </h2>
      {props.saveError && (
        <p className="error">
          {props.saveError}{" "}
          <button type="button" onClick={props.onRetry}>
            Retry
          </button>
        </p>
      )}
      {editor.hint && (
        <p className="muted" data-testid="editor-hint">
          {editor.hint}
        </p>
      )}
      {editor.regions.length === 0 && (
        <p className="muted">
          {props.canEdit
            ? "Draw with Polygon (P), Rectangle (R) or Brush (B), or turn a cluster into a region."
            : "No regions."}
        </p>
      )}
      <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 4 }} data-testid="region-list">
        {editor.regions.map((region, index) => (
          <li key={region.key} className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
            <button
              type="button"
              onClick={() => {
                editor.setTool("select");
                editor.select(region.key);
              }}
              aria-pressed={editor.selectedKey === region.key}
              style={{
                flex: 1,
                textAlign: "left",
                padding: "3px 8px",
                fontWeight: editor.selectedKey === region.key ? 600 : undefined,
              }}
              data-testid="region-item"
              data-kind={region.geometry.kind}
            >
              {index + 1}. {KIND_LABELS[region.geometry.kind]}
            </button>
            <LabelClassSelect
              label="Region class"
              classes={props.classes}
              value={region.labelClassId}
              disabled={!props.canEdit}
              onChange={(labelClassId) => editor.updateRegion(region.key, { labelClassId })}
              style={{ maxWidth: 120 }}
            />
            {props.canEdit && (
              <button
                type="button"
                title="Delete (Del)"
                className="danger"
                onClick={() => editor.deleteRegion(region.key)}
                style={{ padding: "3px 8px" }}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {selected && (
        <RegionDescriptorsView
          title={`${selectedIndex + 1}. ${KIND_LABELS[selected.geometry.kind]}`}
          geometry={selected.geometry}
          imageSize={editor.imageSize}
          pixelSize={props.pixelSize ?? null}
        />
      )}
    </section>
  );
}

/**
 * Area, perimeter, equivalent diameter, max Feret and circularity of one region, measured on its
 * rasterised mask (region-descriptors.ts; memoised per geometry value, so re-renders are free).
 */
function RegionDescriptorsView(props: {
  title: string;
  geometry: RegionGeometry;
  imageSize: { width: number; height: number };
  pixelSize: PixelSize | null;
}) {
  const d = regionDescriptors(props.geometry, props.imageSize);
  const units = d ? descriptorsInUnits(d, props.pixelSize) : null;
  const rows: [string, string, Measure | null | undefined][] = d
    ? [
        ["Area", `${formatNumber(d.area)} px²`, units?.area],
        ["Perimeter", `${formatNumber(d.perimeter)} px`, units?.perimeter],
        ["Equiv. diameter", `${formatNumber(d.equivalentDiameter)} px`, units?.equivalentDiameter],
        ["Max Feret", d.feretMax === null ? "–" : `${formatNumber(d.feretMax)} px`, units?.feretMax],
        ["Circularity", d.circularity === null ? "–" : formatNumber(d.circularity, 3), undefined],
      ]
    : [];
  return (
    <div data-testid="region-descriptors" style={{ marginTop: 8, fontSize: "0.8rem" }}>
      <div className="muted">{props.title}</div>
      {d ? (
        <table style={{ borderCollapse: "collapse", width: "100%" }}>
          <tbody>
            {rows.map(([name, px, unit]) => (
              <tr key={name}>
                <th scope="row" style={{ textAlign: "left", fontWeight: 400, paddingRight: 8 }}>
                  {name}
                </th>
                <td style={{ textAlign: "right" }}>{px}</td>
                <td style={{ textAlign: "right", paddingLeft: 8 }}>
                  {unit ? `${formatNumber(unit.value)} ${unit.unit}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          No image pixels inside this region.
        </p>
      )}
      {d && d.scale < 1 && (
        <p className="muted" style={{ margin: 0 }}>
          Approximate: measured on a downsampled raster.
        </p>
      )}
      {!units && d && !props.pixelSize && (
        <p className="muted" style={{ margin: 0 }}>
          Set the image scale to see these in units.
        </p>
      )}
    </div>
  );
}
