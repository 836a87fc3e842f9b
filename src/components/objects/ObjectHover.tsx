"use client";

import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { Vec } from "~/components/canvas/camera";
import { HoverStore } from "~/components/workspace/hover-store";
import { labelAt, type LabelMap } from "./label-map";
import { describeObject, type ObjectRecord, type ObjectUnits } from "./object-set";

/** The object under the pointer: its label and record (null when the set holds no record of it). */
export type HoveredObject = { label: number; record: ObjectRecord | null };

/**
 * Which object is under the pointer, kept in a store outside React state so pointer moves
 * re-render only the readout. `onHover` stays the same function for the page.
 */
export function useObjectHover(
  image: { width: number; height: number },
  sources: { labelMap: LabelMap | null; byLabel: ReadonlyMap<number, ObjectRecord>; enabled: boolean },
) {
  const store = useMemo(() => new HoverStore<HoveredObject>(), []);
  const latest = useRef(sources);
  useEffect(() => {
    latest.current = sources;
    if (!sources.enabled || !sources.labelMap) store.set(null);
  });
  const onHover = useCallback(
    (point: Vec | null) => {
      const { labelMap, byLabel, enabled } = latest.current;
      const label = point && labelMap && enabled ? labelAt(labelMap, image, point) : 0;
      if (label === (store.get()?.label ?? 0)) return;
      store.set(label > 0 ? { label, record: byLabel.get(label) ?? null } : null);
    },
    [store, image],
  );
  return { store, onHover };
}

/** A small readout over the canvas with the hovered object's descriptors, in the image's units. */
export function ObjectHoverReadout(props: { store: HoverStore<HoveredObject>; units: ObjectUnits }) {
  const hovered = useSyncExternalStore(props.store.subscribe, props.store.get, props.store.get);
  if (!hovered) return null;
  return (
    <div
      data-testid="object-hover"
      data-label={hovered.label}
      role="status"
      style={{
        position: "absolute",
        left: 8,
        bottom: 8,
        zIndex: 2,
        pointerEvents: "none",
        padding: "4px 8px",
        borderRadius: 6,
        background: "rgba(20, 20, 20, 0.8)",
        color: "#fff",
        fontSize: "0.75rem",
        lineHeight: 1.4,
        maxWidth: 260,
      }}
    >
      <strong>Object {hovered.label}</strong>
      {hovered.record ? (
        describeObject(hovered.record, props.units).map((d) => (
          <div key={d.id} data-testid={`object-hover-${d.id}`}>
            {d.text}
          </div>
        ))
      ) : (
        <div>Not in the table (the CSV export has it).</div>
      )}
    </div>
  );
}
