"use client";

import { useSyncExternalStore } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import type { LabelClassOption } from "./LabelBar";
import { LabelClassSelect } from "./LabelClassSelect";

const KIND_LABELS = { polygon: "Polygon", rectangle: "Rectangle", brush: "Brush", mask: "Mask" } as const;

/** The image's regions: select, change class, delete; and the save state. */
export function RegionList(props: {
  editor: AnnotationEditor;
  classes: LabelClassOption[];
  canEdit: boolean;
  saveStatus: string;
  saveError: string | null;
  onRetry: () => void;
}) {
  const { editor } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
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
    </section>
  );
}
