"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { formatNumber } from "~/components/canvas/scale-bar";
import { errorMessage } from "~/components/error-message";
import type { LengthUnit, PixelSize } from "~/core/objects/units";
import { useTRPC } from "~/trpc/react";
import { lineLength, pixelSizeFromLine, SCALE_UNITS } from "./set-scale";

/**
 * Set Scale (as ImageJ's), shown while the scale tool is on: first how to draw the line, then,
 * with a line, its length in pixels, the known length and unit, and whether the scale applies to
 * this image or the whole dataset. Escape (anywhere in the form) drops the line.
 */
export function SetScaleForm(props: {
  editor: AnnotationEditor;
  projectId: string;
  imageId: string;
  datasetId: string;
  datasetName: string;
  current: PixelSize | null;
}) {
  const { editor } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [length, setLength] = useState("");
  const [unit, setUnit] = useState<LengthUnit>(props.current?.unit ?? "µm");
  const [scope, setScope] = useState<"image" | "dataset">("image");
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.scale.set.mutationOptions({
      onSuccess: () => {
        editor.setMeasureLine(null);
        editor.setTool("pan");
        setLength("");
        // The image's pixel size (this image or its whole dataset) and the objects' units.
        void queryClient.invalidateQueries({ queryKey: trpc.analysis.workspace.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.objects.pathKey() });
      },
    }),
  );

  if (editor.toolId !== "scale") return null;
  const line = editor.measureLine;
  const pixels = line ? lineLength(line) : 0;
  const drawing = line !== null && editor.getPath() !== "scale.idle";

  const cancel = () => {
    setProblem(null);
    if (editor.measureLine) editor.setMeasureLine(null);
    else editor.setTool("pan");
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = pixelSizeFromLine(length, unit, pixels);
    if ("error" in result) {
      setProblem(result.error);
      return;
    }
    setProblem(null);
    save.mutate({
      projectId: props.projectId,
      target:
        scope === "image" ? { kind: "image", imageId: props.imageId } : { kind: "dataset", datasetId: props.datasetId },
      pixelSize: result.pixelSize,
    });
  };

  return (
    <div
      data-testid="set-scale"
      role="dialog"
      aria-label="Set scale"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          cancel();
        }
      }}
      style={{
        position: "absolute",
        top: 8,
        right: 8,
        zIndex: 2,
        width: 290,
        padding: 10,
        borderRadius: 8,
        background: "var(--panel, #fff)",
        border: "1px solid var(--line)",
        boxShadow: "0 4px 16px rgba(0,0,0,0.25)",
        fontSize: "0.88rem",
      }}
    >
      <strong>Set scale</strong>
      {!line || drawing ? (
        <p className="muted" style={{ margin: "6px 0 0" }} data-testid="set-scale-hint">
          Drag along the scale bar burned into the image (hold Shift to keep the line level). Esc cancels.
          {props.current && (
            <>
              {" "}
              Now: {formatNumber(props.current.value)} {props.current.unit} per pixel.
            </>
          )}
        </p>
      ) : (
        <form onSubmit={submit} noValidate style={{ display: "grid", gap: 6, marginTop: 6 }}>
          <span data-testid="scale-line-pixels">Line: {formatNumber(pixels, 5)} px</span>
          <div className="row" style={{ gap: 6 }}>
            <label className="row" style={{ gap: 4 }}>
              Known length
              <input
                data-testid="scale-length"
                inputMode="decimal"
                autoFocus
                value={length}
                aria-invalid={problem !== null}
                aria-describedby={problem ? "scale-error" : undefined}
                onChange={(event) => setLength(event.target.value)}
                style={{ width: 80 }}
              />
            </label>
            <select
              aria-label="Unit"
              data-testid="scale-unit"
              value={unit}
              onChange={(event) => setUnit(event.target.value as LengthUnit)}
            >
              {SCALE_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </div>
          <fieldset style={{ border: "none", padding: 0, margin: 0, display: "flex", gap: 10 }}>
            <legend className="muted" style={{ padding: 0, fontSize: "0.8rem" }}>
              Apply to
            </legend>
            {(["image", "dataset"] as const).map((option) => (
              <label key={option} className="row" style={{ gap: 4 }}>
                <input
                  type="radio"
                  name="scale-scope"
                  data-testid={`scale-scope-${option}`}
                  checked={scope === option}
                  onChange={() => setScope(option)}
                />
                {option === "image" ? "this image" : `the whole dataset (${props.datasetName})`}
              </label>
            ))}
          </fieldset>
          {problem && (
            <span id="scale-error" className="error" role="alert" data-testid="scale-error">
              {problem}
            </span>
          )}
          {save.error && (
            <span className="error" role="alert" data-testid="scale-error">
              {errorMessage(save.error)}
            </span>
          )}
          <div className="row" style={{ gap: 6 }}>
            <button type="submit" data-testid="scale-submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Set scale"}
            </button>
            <button type="button" data-testid="scale-cancel" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
