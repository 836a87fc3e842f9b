"use client";

import { useState, type CSSProperties } from "react";

/**
 * A name edited in place: the field takes the focus, Enter saves, Escape (or Cancel) leaves it
 * as it was. `error` is the server's answer to the last save.
 */
export function InlineRename(props: {
  label: string;
  testId?: string;
  initial: string;
  maxLength: number;
  busy: boolean;
  error?: string | null;
  onSave: (name: string) => void;
  onCancel: () => void;
  style?: CSSProperties;
  inputStyle?: CSSProperties;
}) {
  const [name, setName] = useState(props.initial);
  return (
    <form
      className="row"
      style={{ gap: 4, ...props.style }}
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) props.onSave(name);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          props.onCancel();
        }
      }}
    >
      <input
        aria-label={props.label}
        data-testid={props.testId}
        value={name}
        maxLength={props.maxLength}
        autoFocus
        onChange={(event) => setName(event.target.value)}
        style={props.inputStyle}
      />
      <button type="submit" disabled={!name.trim() || props.busy}>
        Save
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {props.error && <span className="error">{props.error}</span>}
    </form>
  );
}
