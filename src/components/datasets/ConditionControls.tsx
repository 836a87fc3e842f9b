"use client";

/**
 * The dataset grid's condition controls: a filter by tag (key = value) and, for editors, "Set
 * condition" on the selected images (key, value, unit; or remove the key). Plain form fields and
 * buttons, so they work from the keyboard; Enter in a field submits.
 */
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import { tagKeySchema } from "~/core/conditions/tags";
import { useTRPC } from "~/trpc/react";
import { tagFromForm } from "./condition-form";

export type ConditionKey = { key: string; units: (string | null)[] };

/** Filter by a condition: key picked from the dataset's keys, value typed ("8", "8 mAh", "LiPF6"). */
export function ConditionFilter(props: {
  keys: readonly ConditionKey[];
  value: { key: string; value: string } | null;
  onChange: (value: { key: string; value: string } | null) => void;
}) {
  const current = props.value ?? { key: "", value: "" };
  if (props.keys.length === 0) return null;
  return (
    <div className="row" data-testid="condition-filter" role="group" aria-label="Filter by condition">
      <select
        aria-label="Filter by condition"
        data-testid="filter-condition-key"
        value={current.key}
        onChange={(event) =>
          props.onChange(event.target.value === "" ? null : { key: event.target.value, value: current.value })
        }
      >
        <option value="">any condition</option>
        {props.keys.map(({ key }) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
      {current.key !== "" && (
        <input
          aria-label={`Value of ${current.key} (empty: any)`}
          data-testid="filter-condition-value"
          placeholder="= any value"
          value={current.value}
          onChange={(event) => props.onChange({ key: current.key, value: event.target.value })}
          style={{ width: 110 }}
        />
      )}
    </div>
  );
}

/** "Set condition" for the selection: sets key = value (unit) on every selected image, or removes the key. */
export function SetConditionForm(props: {
  projectId: string;
  imageIds: readonly string[];
  keys: readonly ConditionKey[];
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [fields, setFields] = useState({ key: "", value: "", unit: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const change = useMutation(
    trpc.conditions.set.mutationOptions({
      onSuccess: () => {
        setProblem(null);
        props.onChanged();
      },
    }),
  );
  const count = props.imageIds.length;
  // A known key with one unit: suggest it.
  const known = props.keys.find((entry) => entry.key === fields.key.trim().toLowerCase());
  const unitHint = known?.units.length === 1 ? (known.units[0] ?? "") : "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tag = tagFromForm(fields, unitHint);
    if ("error" in tag) return setProblem(tag.error);
    setProblem(null);
    change.mutate({ projectId: props.projectId, imageIds: [...props.imageIds], set: [tag] });
  };
  const remove = () => {
    const key = tagKeySchema.safeParse(fields.key);
    if (!key.success) return setProblem(key.error.issues[0]?.message ?? "Name the condition.");
    change.mutate({ projectId: props.projectId, imageIds: [...props.imageIds], remove: [key.data] });
  };

  return (
    <form className="row" data-testid="set-condition" onSubmit={submit} aria-label="Set a condition on the selection">
      <span className="muted">Condition of {count === 1 ? "the selected image" : `${count} selected images`}:</span>
      <input
        aria-label="Condition name"
        data-testid="set-condition-key"
        placeholder="name (capacity)"
        list={`${id}-keys`}
        value={fields.key}
        onChange={(event) => setFields({ ...fields, key: event.target.value })}
        style={{ width: 140 }}
      />
      <datalist id={`${id}-keys`}>
        {props.keys.map(({ key }) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      <span aria-hidden>=</span>
      <input
        aria-label="Condition value"
        data-testid="set-condition-value"
        placeholder="value (8)"
        value={fields.value}
        onChange={(event) => setFields({ ...fields, value: event.target.value })}
        style={{ width: 100 }}
      />
      <input
        aria-label="Unit (optional)"
        data-testid="set-condition-unit"
        placeholder={unitHint || "unit"}
        value={fields.unit}
        onChange={(event) => setFields({ ...fields, unit: event.target.value })}
        style={{ width: 70 }}
      />
      <button type="submit" data-testid="set-condition-apply" disabled={change.isPending || count === 0}>
        Set condition
      </button>
      <button
        type="button"
        data-testid="set-condition-remove"
        disabled={change.isPending || count === 0}
        onClick={remove}
      >
        Remove
      </button>
      {(problem ?? change.error) && (
        <span className="error" role="alert" data-testid="set-condition-error">
          {problem ?? errorMessage(change.error)}
        </span>
      )}
    </form>
  );
}
