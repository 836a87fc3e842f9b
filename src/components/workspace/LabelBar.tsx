"use client";

export type LabelClassOption = { id: string; name: string; color: string };

/** The image-level class: one button per class with its shortcut (1..9; 0 clears). */
export function LabelBar(props: {
  classes: LabelClassOption[];
  current: string | null;
  canLabel: boolean;
  onLabel: (labelClassId: string | null) => void;
  pending: boolean;
}) {
  if (props.classes.length === 0) {
    return <p className="muted">No label classes yet: an editor can add some on the project page.</p>;
  }
  return (
    <div className="row" role="group" aria-label="Image label" data-testid="label-bar">
      <span className="muted">Label{props.canLabel ? " (keys 1–9, 0 clears)" : ""}:</span>
      {props.classes.map((labelClass, index) => {
        const active = props.current === labelClass.id;
        return (
          <button
            key={labelClass.id}
            type="button"
            data-testid={`label-${labelClass.name}`}
            aria-pressed={active}
            disabled={!props.canLabel || props.pending}
            title={props.canLabel ? undefined : "Only annotators and above can label"}
            onClick={() => props.onLabel(active ? null : labelClass.id)}
            style={{
              display: "flex",
              gap: 6,
              alignItems: "center",
              borderColor: active ? labelClass.color : undefined,
              background: active ? `${labelClass.color}22` : undefined,
              fontWeight: active ? 600 : undefined,
            }}
          >
            <span style={{ width: 10, height: 10, borderRadius: 5, background: labelClass.color }} />
            {labelClass.name}
            {index < 9 && <kbd style={{ fontSize: "0.7rem", opacity: 0.6 }}>{index + 1}</kbd>}
          </button>
        );
      })}
      <span data-testid="current-label" className="muted">
        {props.current ? `✓ ${props.classes.find((c) => c.id === props.current)?.name ?? ""}` : "unlabelled"}
      </span>
    </div>
  );
}
