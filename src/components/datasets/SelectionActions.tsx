"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { checkImageFileName } from "~/core/file-names";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { DeletionDialog } from "~/components/deletion-dialog";
import { errorMessage } from "~/components/error-message";
import { useProjectCan } from "~/components/projects/use-project-can";
import { useTRPC } from "~/trpc/react";

/**
 * Tidying the grid's selection (members who manage datasets): move it to another dataset of the
 * project, delete it (the confirmation says what goes with it), rename a single image.
 */
export function SelectionActions(props: {
  projectId: string;
  datasetId: string;
  selected: ReadonlySet<string>;
  images: readonly { id: string; fileName: string }[];
  /** After a change: the selection is cleared (its images left or were renamed). */
  onDone: () => void;
}) {
  const { projectId, datasetId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useProjectCan(projectId);
  const datasets = useQuery({ ...trpc.dataset.list.queryOptions({ projectId }), enabled: can.manageDatasets });
  const [target, setTarget] = useState("");
  const [dialog, setDialog] = useState<"delete" | "rename" | null>(null);
  const [fileName, setFileName] = useState("");
  const done = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.dataset.images.queryKey({ projectId, datasetId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.analysis.predictions.queryKey({ projectId, datasetId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey({ projectId }) }),
    ]);
    setDialog(null);
    setTarget("");
    props.onDone();
  };
  const move = useMutation(trpc.dataset.moveImages.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.dataset.deleteImages.mutationOptions({ onSuccess: done }));
  const rename = useMutation(trpc.dataset.renameImage.mutationOptions({ onSuccess: done }));

  const imageIds = [...props.selected];
  if (!can.manageDatasets || imageIds.length === 0) return null;
  const single = imageIds.length === 1 ? props.images.find((image) => image.id === imageIds[0]) : undefined;
  const others = (datasets.data ?? []).filter((d) => d.id !== datasetId);
  const checked = single ? checkImageFileName(fileName, single.fileName) : null;
  const close = () => {
    rename.reset();
    remove.reset();
    setDialog(null);
  };

  return (
    <div className="row" data-testid="selection-actions" style={{ marginBottom: 12 }}>
      {others.length > 0 && (
        <>
          <select
            aria-label="Move the selected images to"
            data-testid="move-target"
            value={target}
            onChange={(event) => setTarget(event.target.value)}
          >
            <option value="">Move to dataset…</option>
            {others.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid="move-selection"
            disabled={!target || move.isPending}
            onClick={() => move.mutate({ projectId, imageIds, datasetId: target })}
          >
            Move {imageIds.length === 1 ? "image" : `${imageIds.length} images`}
          </button>
        </>
      )}
      {single && (
        <button
          type="button"
          data-testid="rename-image"
          onClick={() => {
            setFileName(single.fileName);
            setDialog("rename");
          }}
        >
          Rename…
        </button>
      )}
      <button type="button" className="danger" data-testid="delete-selection" onClick={() => setDialog("delete")}>
        Delete {imageIds.length === 1 ? "image" : `${imageIds.length} images`}…
      </button>
      {move.error && <span className="error">{errorMessage(move.error)}</span>}
      {dialog === "delete" && (
        <DeletionDialog
          projectId={projectId}
          target={{ kind: "images", imageIds }}
          title={single ? `Delete "${single.fileName}"?` : `Delete ${imageIds.length} images?`}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ projectId, imageIds })}
          onCancel={close}
        />
      )}
      {dialog === "rename" && single && (
        <ConfirmDialog
          title={`Rename "${single.fileName}"`}
          testId="rename-image-dialog"
          confirmLabel="Rename"
          busy={rename.isPending}
          ready={checked?.ok === true}
          error={rename.error ? errorMessage(rename.error) : checked && !checked.ok ? checked.message : null}
          onConfirm={() => rename.mutate({ projectId, imageId: single.id, fileName })}
          onCancel={close}
        >
          <label style={{ display: "grid", gap: 4 }}>
            New file name
            <input
              data-testid="rename-image-input"
              value={fileName}
              onChange={(event) => {
                rename.reset();
                setFileName(event.target.value);
              }}
            />
          </label>
          <p className="muted" style={{ margin: 0 }}>
            Only the name changes; the file, its analyses and annotations stay.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
