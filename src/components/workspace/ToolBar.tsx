"use client";

import { useSyncExternalStore } from "react";
import { TOOL_SHORTCUTS, type AnnotationEditor, type ToolId } from "~/components/canvas/AnnotationEditor";
import { SAM_KEYS_HINT } from "~/components/canvas/tools/sam/SamTool";
import type { LabelClassOption } from "./LabelBar";
import { LabelClassSelect } from "./LabelClassSelect";

const TOOL_LABELS: Record<ToolId, string> = {
  pan: "Pan",
  select: "Select",
  polygon: "Polygon",
  rectangle: "Rectangle",
  brush: "Brush",
  sam: "SAM 2",
  scale: "Scale",
};

/** What a tool's button says on hover, beyond its name and key. */
const TOOL_TIPS: Partial<Record<ToolId, string>> = { sam: SAM_KEYS_HINT };

/** The undo and redo buttons. */
const HISTORY_STEPS: {
  id: "undo" | "redo";
  text: string;
  title: string;
  can: (editor: AnnotationEditor) => boolean;
  run: (editor: AnnotationEditor) => void;
}[] = [
  { id: "undo", text: "Undo", title: "Undo (Ctrl+Z)", can: (editor) => editor.canUndo, run: (editor) => editor.undo() },
  {
    id: "redo",
    text: "Redo",
    title: "Redo (Ctrl+Shift+Z)",
    can: (editor) => editor.canRedo,
    run: (editor) => editor.redo(),
  },
];

/** Tools, the class of new regions, brush settings, undo/redo and the view controls. */
export function ToolBar(props: {
  editor: AnnotationEditor;
  classes: LabelClassOption[];
  canDraw: boolean;
  /** Show the set-scale tool (the caller may set the pixel size). */
  canSetScale?: boolean;
  /** The SAM 2 tool: shown to those who draw, disabled (with the reason) without a ready model. */
  sam?: { enabled: boolean; reason: string | null };
  onZoom: (factor: number) => void;
  onFit: () => void;
  onActualSize: () => void;
  compare: boolean;
  onCompare: (compare: boolean) => void;
}) {
  const { editor } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  const tools: ToolId[] = props.canDraw ? ["pan", "select", "polygon", "rectangle", "brush"] : ["pan", "select"];
  if (props.canDraw && props.sam) tools.push("sam");
  if (props.canSetScale) tools.push("scale");
  return (
    <div className="row" style={{ padding: "6px 0", gap: 6 }} data-testid="toolbar">
      <div className="row" role="group" aria-label="Tools" style={{ gap: 4 }}>
        {tools.map((tool) => (
          <button
            key={tool}
            type="button"
            data-testid={`tool-${tool}`}
            aria-pressed={editor.toolId === tool}
            title={toolTitle(tool, props.sam)}
            disabled={tool === "sam" && !props.sam?.enabled}
            aria-describedby={tool === "sam" && !props.sam?.enabled ? "sam-unavailable" : undefined}
            onClick={() => editor.setTool(tool)}
            style={
              editor.toolId === tool
                ? { background: "var(--accent)", color: "#fff", borderColor: "var(--accent)" }
                : undefined
            }
          >
            {TOOL_LABELS[tool]} <kbd style={{ opacity: 0.6, fontSize: "0.7rem" }}>{TOOL_SHORTCUTS[tool]}</kbd>
          </button>
        ))}
      </div>
      {props.canDraw && (
        <>
          <LabelClassSelect
            label="Class of new regions"
            testId="region-class"
            classes={props.classes}
            value={editor.settings.labelClassId}
            onChange={(labelClassId) => editor.setSettings({ labelClassId })}
          />
          {editor.toolId === "brush" && (
            <>
              <label className="row muted" style={{ gap: 4 }} title="Brush size ([ and ])">
                Size
                <input
                  type="range"
                  min={2}
                  max={400}
                  value={editor.settings.brushSize}
                  data-testid="brush-size"
                  onChange={(event) => editor.setSettings({ brushSize: Number(event.target.value) })}
                  style={{ padding: 0, width: 90 }}
                />
                {editor.settings.brushSize}px
              </label>
              <label className="row muted" style={{ gap: 4 }} title="Eraser (E)">
                <input
                  type="checkbox"
                  data-testid="eraser"
                  checked={editor.settings.brushMode === "erase"}
                  onChange={(event) => editor.setSettings({ brushMode: event.target.checked ? "erase" : "paint" })}
                />
                Eraser <kbd style={{ opacity: 0.6, fontSize: "0.7rem" }}>E</kbd>
              </label>
            </>
          )}
          {HISTORY_STEPS.map((step) => (
            <button
              key={step.id}
              type="button"
              title={step.title}
              disabled={!step.can(editor)}
              onClick={() => step.run(editor)}
              data-testid={step.id}
            >
              {step.text}
            </button>
          ))}
        </>
      )}
      <span style={{ flex: 1 }} />
      <button type="button" title="Zoom out (-)" onClick={() => props.onZoom(1 / 1.25)} data-testid="zoom-out">
        −
      </button>
      <button type="button" title="Zoom in (+)" onClick={() => props.onZoom(1.25)} data-testid="zoom-in">
        +
      </button>
      <button type="button" title="Fit the image (F)" onClick={props.onFit} data-testid="zoom-fit">
        Fit
      </button>
      <button type="button" title="One image pixel per screen pixel" onClick={props.onActualSize}>
        1:1
      </button>
      <button
        type="button"
        data-testid="compare-toggle"
        aria-pressed={props.compare}
        title="Side-by-side panes with the same zoom and pan (C)"
        onClick={() => props.onCompare(!props.compare)}
      >
        {props.compare ? "Single view" : "Compare"}
      </button>
    </div>
  );
}

function toolTitle(tool: ToolId, sam: { enabled: boolean; reason: string | null } | undefined): string {
  const name = `${TOOL_LABELS[tool]} (${TOOL_SHORTCUTS[tool]})`;
  if (tool === "sam" && !sam?.enabled) return `${name}: ${sam?.reason ?? "checking for installed models…"}`;
  const tip = TOOL_TIPS[tool];
  return tip ? `${name}: ${tip}` : name;
}
