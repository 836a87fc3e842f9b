"use client";

import { useEffect, useRef, type FormEvent, type ReactNode } from "react";

/**
 * A modal question (native <dialog>): focus moves into it (the first field, else Cancel), Tab
 * stays inside, Escape or Cancel closes it without doing anything, focus returns to what had it.
 * `children` say what will happen (e.g. what a deletion removes) or hold the form's fields.
 */
export function ConfirmDialog(props: {
  title: string;
  testId?: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** false keeps the confirm button disabled (e.g. while the counts load). */
  ready?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const field = dialog.querySelector<HTMLElement>("input, select, textarea");
    (field ?? dialog.querySelector<HTMLElement>("[data-cancel]"))?.focus();
    return () => opener?.focus();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!props.busy && props.ready !== false) props.onConfirm();
  };
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-dialog-title"
      data-testid={props.testId ?? "confirm-dialog"}
      onCancel={(event) => {
        // Escape: the parent unmounts the dialog (and focus goes back).
        event.preventDefault();
        props.onCancel();
      }}
      style={{ maxWidth: 460, border: "1px solid var(--line)", borderRadius: 8, padding: 16 }}
    >
      <form onSubmit={submit} style={{ display: "grid", gap: 10 }}>
        <h2 id="confirm-dialog-title" style={{ margin: 0, fontSize: "1.05rem" }}>
          {props.title}
        </h2>
        {props.children}
        {props.error && (
          <p className="error" role="alert" style={{ margin: 0 }}>
            {props.error}
          </p>
        )}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" data-cancel onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={props.danger ? "danger" : undefined}
            data-testid="confirm-dialog-confirm"
            disabled={props.busy || props.ready === false}
          >
            {props.busy ? "Working…" : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
