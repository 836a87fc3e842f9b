"use client";

import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";

/**
 * The segmentation parameters a person tunes: threshold (Otsu or a grey value), polarity,
 * splitting touching objects (and its h), the smallest and largest object and whether border
 * objects count.
 */
export function ObjectParamsForm(props: {
  params: ObjectSegmentationParams;
  onChange: (params: ObjectSegmentationParams) => void;
  disabled: boolean;
}) {
  const { params, disabled } = props;
  const set = (patch: Partial<ObjectSegmentationParams>) => props.onChange({ ...params, ...patch });
  const manual = params.threshold.method === "manual" ? params.threshold.value : null;
  return (
    <fieldset disabled={disabled} style={{ border: "none", padding: 0, margin: 0, display: "grid", gap: 6 }}>
      <div className="row" style={{ gap: 6 }}>
        <label className="row" style={{ gap: 4 }}>
          Threshold
          <select
            data-testid="objects-threshold"
            value={params.threshold.method}
            onChange={(event) =>
              set({
                threshold:
                  event.target.value === "manual" ? { method: "manual", value: manual ?? 128 } : { method: "otsu" },
              })
            }
          >
            <option value="otsu">Otsu</option>
            <option value="manual">manual</option>
          </select>
        </label>
        {manual !== null && (
          <input
            type="number"
            aria-label="Threshold grey value"
            data-testid="objects-threshold-value"
            min={0}
            max={255}
            value={manual}
            onChange={(event) => set({ threshold: { method: "manual", value: Number(event.target.value) } })}
            style={{ width: 64 }}
          />
        )}
        <label className="row" style={{ gap: 4 }}>
          Objects are
          <select
            data-testid="objects-polarity"
            value={params.polarity}
            onChange={(event) => set({ polarity: event.target.value as ObjectSegmentationParams["polarity"] })}
          >
            <option value="auto">auto</option>
            <option value="bright">bright</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </div>
      <div className="row" style={{ gap: 6 }}>
        <label className="row" style={{ gap: 4 }} title="Split touching objects (watershed of the distance map)">
          <input
            type="checkbox"
            data-testid="objects-split"
            checked={params.split}
            onChange={(event) => set({ split: event.target.checked })}
          />
          Split touching
        </label>
        <label className="row" style={{ gap: 4 }} title="How far a centre must stand out to be its own object, px">
          h
          <input
            type="number"
            data-testid="objects-h"
            min={0.1}
            step="any"
            value={params.h}
            disabled={!params.split}
            onChange={(event) => set({ h: Number(event.target.value) })}
            style={{ width: 56 }}
          />
        </label>
      </div>
      <div className="row" style={{ gap: 6 }}>
        <label className="row" style={{ gap: 4 }}>
          Min area (px)
          <input
            type="number"
            data-testid="objects-min-area"
            min={0}
            value={params.minArea}
            onChange={(event) => set({ minArea: Number(event.target.value) })}
            style={{ width: 64 }}
          />
        </label>
        <label className="row" style={{ gap: 4 }} title="Largest object kept, px; empty: no limit">
          Max area (px)
          <input
            type="number"
            data-testid="objects-max-area"
            min={1}
            placeholder="none"
            value={params.maxArea ?? ""}
            onChange={(event) =>
              set({ maxArea: event.target.value === "" ? null : Math.max(1, Number(event.target.value)) })
            }
            style={{ width: 72 }}
          />
        </label>
      </div>
      <div className="row" style={{ gap: 6 }}>
        <label className="row" style={{ gap: 4 }}>
          <input
            type="checkbox"
            data-testid="objects-exclude-border"
            checked={params.excludeBorder}
            onChange={(event) => set({ excludeBorder: event.target.checked })}
          />
          Exclude border objects
        </label>
      </div>
    </fieldset>
  );
}
