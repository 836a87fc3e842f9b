"use client";

import { useSyncExternalStore } from "react";
import type { HoverStore } from "./hover-store";

/**
 * Values under the pointer: position, the raw value (grey, or R, G, B) as stored, the display
 * value it is shown as (after window/level), CAM value and cluster id.
 */
export type PixelValues = {
  x: number;
  y: number;
  raw: number[] | null;
  display: number[] | null;
  cam: number | null;
  cluster: number | null;
};

export function PixelReadout(props: { values: PixelValues | null; bitDepth: number }) {
  const v = props.values;
  const deep = props.bitDepth === 16;
  return (
    <div
      className="muted"
      data-testid="pixel-readout"
      style={{ fontFamily: "ui-monospace, monospace", fontSize: "0.8rem", minHeight: "1.3em" }}
    >
      {v ? (
        <>
          x <span data-testid="readout-x">{v.x}</span> · y <span data-testid="readout-y">{v.y}</span> ·{" "}
          {v.raw && v.raw.length === 3 ? "R,G,B" : "value"}{" "}
          <span data-testid="readout-raw">{v.raw?.join(",") ?? "—"}</span>
          {deep ? " (raw, 16-bit)" : props.bitDepth > 8 ? " (8-bit display of a float image)" : " (raw, 8-bit)"} ·
          display <span data-testid="readout-display">{v.display?.join(",") ?? "—"}</span> · CAM{" "}
          <span data-testid="readout-cam">{v.cam === null ? "—" : v.cam.toFixed(2)}</span> · cluster{" "}
          <span data-testid="readout-cluster">{v.cluster ?? "—"}</span>
        </>
      ) : (
        "Move the pointer over the image for values. Wheel zooms, drag pans (middle button pans in any tool)."
      )}
    </div>
  );
}

/** The readout fed by the hover store: only it re-renders on pointer moves. */
export function LivePixelReadout(props: { store: HoverStore; bitDepth: number }) {
  const values = useSyncExternalStore(props.store.subscribe, props.store.get, props.store.get);
  return <PixelReadout values={values} bitDepth={props.bitDepth} />;
}
