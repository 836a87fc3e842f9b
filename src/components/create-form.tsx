import type { CSSProperties, FormEvent } from "react";
import { errorMessage } from "~/components/error-message";

/** One required name and a primary button that creates something by it (a project, a dataset…). */
export function CreateForm(props: {
  /** The input's accessible name and placeholder, e.g. "New project name". */
  label: string;
  /** The button's text, e.g. "Create project". */
  submitText: string;
  value: string;
  onChange: (value: string) => void;
  onCreate: () => void;
  pending: boolean;
  error: unknown;
  className: string;
  style?: CSSProperties;
}) {
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    props.onCreate();
  }
  return (
    <form className={props.className} onSubmit={onSubmit} style={props.style}>
      <input
        aria-label={props.label}
        placeholder={props.label}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required
      />
      <button className="primary" type="submit" disabled={props.pending}>
        {props.submitText}
      </button>
      {props.error ? <span className="error">{errorMessage(props.error)}</span> : null}
    </form>
  );
}
