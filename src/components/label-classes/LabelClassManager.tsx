"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DeletionDialog } from "~/components/deletion-dialog";
import { errorMessage } from "~/components/error-message";
import { InlineRename } from "~/components/inline-rename";
import { useTRPC } from "~/trpc/react";

/** A palette that stays distinguishable over grey micrographs (tab10). */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

/**
 * The project's label classes (name, colour), in shortcut order. Editors add, rename, recolour
 * and delete; everyone else sees the list.
 */
export function LabelClassManager(props: { projectId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const classes = useQuery(trpc.labelClass.list.queryOptions({ projectId: props.projectId }));
  const invalidate = () =>
    queryClient.invalidateQueries({
      queryKey: trpc.labelClass.list.queryKey({ projectId: props.projectId }),
    });
  const save = useMutation(trpc.labelClass.save.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(
    trpc.labelClass.delete.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        setDeleting(null);
      },
    }),
  );
  const [name, setName] = useState("");
  const list = classes.data ?? [];
  const nextColor = PALETTE[list.length % PALETTE.length]!;
  const [color, setColor] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const error = save.error;

  return (
    <section className="panel" aria-label="Label classes" data-testid="label-classes">
      <h2>
        Label classes <span className="badge">{list.length}</span>
      </h2>
      <ul style={{ listStyle: "none", margin: "0 0 8px", padding: 0, display: "grid", gap: 4 }}>
        {list.map((labelClass, index) => (
          <li key={labelClass.id} className="row" style={{ gap: 6 }}>
            <kbd className="muted" style={{ width: 14 }}>
              {index < 9 ? index + 1 : ""}
            </kbd>
            <input
              type="color"
              aria-label={`Colour of ${labelClass.name}`}
              value={labelClass.color}
              disabled={!props.canEdit}
              onChange={(event) =>
                save.mutate({
                  projectId: props.projectId,
                  labelClassId: labelClass.id,
                  name: labelClass.name,
                  color: event.target.value,
                })
              }
              style={{ width: 32, padding: 0, height: 24 }}
            />
            {renaming === labelClass.id ? (
              <InlineRename
                label={`New name of ${labelClass.name}`}
                testId="rename-class-input"
                initial={labelClass.name}
                maxLength={60}
                busy={save.isPending}
                onSave={(name) =>
                  save.mutate(
                    { projectId: props.projectId, labelClassId: labelClass.id, name, color: labelClass.color },
                    { onSuccess: () => setRenaming(null) },
                  )
                }
                onCancel={() => {
                  save.reset();
                  setRenaming(null);
                }}
                style={{ flex: 1 }}
                inputStyle={{ flex: 1, minWidth: 80 }}
              />
            ) : (
              <span style={{ flex: 1 }}>{labelClass.name}</span>
            )}
            {props.canEdit && renaming !== labelClass.id && (
              <>
                <button
                  type="button"
                  style={{ padding: "2px 8px" }}
                  aria-label={`Rename ${labelClass.name}`}
                  title="Rename"
                  onClick={() => setRenaming(labelClass.id)}
                >
                  ✎
                </button>
                <button
                  type="button"
                  className="danger"
                  style={{ padding: "2px 8px" }}
                  aria-label={`Delete ${labelClass.name}`}
                  title="Delete this class (asks first, saying what uses it)"
                  onClick={() => setDeleting(labelClass)}
                >
                  ✕
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {list.length === 0 && (
        <p className="muted">
          No classes yet{props.canEdit ? ": add the morphologies you label, e.g. Dendrites." : "."}
        </p>
      )}
      {props.canEdit && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim()) return;
            save.mutate(
              { projectId: props.projectId, name: name.trim(), color: color ?? nextColor },
              {
                onSuccess: () => {
                  setName("");
                  setColor(null);
                },
              },
            );
          }}
        >
          <input
            type="color"
            aria-label="New class colour"
            value={color ?? nextColor}
            onChange={(event) => setColor(event.target.value)}
            style={{ width: 32, padding: 0, height: 30 }}
          />
          <input
            aria-label="New label class name"
            placeholder="New class, e.g. Dendrites"
            value={name}
            maxLength={60}
            onChange={(event) => setName(event.target.value)}
            style={{ flex: 1, minWidth: 120 }}
          />
          <button type="submit" disabled={!name.trim() || save.isPending}>
            Add class
          </button>
        </form>
      )}
      {error && <p className="error">{errorMessage(error)}</p>}
      {deleting && (
        <DeletionDialog
          projectId={props.projectId}
          target={{ kind: "labelClass", labelClassId: deleting.id }}
          title={`Delete the class "${deleting.name}"?`}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ projectId: props.projectId, labelClassId: deleting.id })}
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
        />
      )}
    </section>
  );
}
