"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DeletionDialog } from "~/components/deletion-dialog";
import { errorMessage } from "~/components/error-message";
import { InlineRename } from "~/components/inline-rename";
import { useProjectCan } from "~/components/projects/use-project-can";
import { useTRPC } from "~/trpc/react";

/**
 * The dataset's name as the page title; members who manage datasets rename it in place (Enter
 * saves, Escape cancels) or delete it after a confirmation that says what goes with it.
 */
export function DatasetTitle(props: { projectId: string; datasetId: string; name: string | undefined }) {
  const { projectId, datasetId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const can = useProjectCan(projectId);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.dataset.images.queryKey({ projectId, datasetId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey({ projectId }) }),
    ]);
  const rename = useMutation(
    trpc.dataset.rename.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setRenaming(false);
      },
    }),
  );
  const remove = useMutation(
    trpc.dataset.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey({ projectId }) });
        router.push(`/projects/${projectId}`);
      },
    }),
  );

  if (renaming) {
    return (
      <InlineRename
        label="Dataset name"
        testId="dataset-name-input"
        initial={props.name ?? ""}
        maxLength={120}
        busy={rename.isPending}
        error={rename.error ? errorMessage(rename.error) : null}
        onSave={(name) => rename.mutate({ projectId, datasetId, name })}
        onCancel={() => {
          rename.reset();
          setRenaming(false);
        }}
        style={{ margin: "0.67em 0" }}
        inputStyle={{ fontSize: "1.4rem", minWidth: 240 }}
      />
    );
  }

  return (
    <div className="row" style={{ alignItems: "baseline" }}>
      <h1 data-testid="dataset-title">{props.name ?? "…"}</h1>
      {can.manageDatasets && props.name !== undefined && (
        <>
          <button type="button" data-testid="rename-dataset" onClick={() => setRenaming(true)}>
            Rename
          </button>
          <button type="button" className="danger" data-testid="delete-dataset" onClick={() => setDeleting(true)}>
            Delete dataset
          </button>
        </>
      )}
      {deleting && (
        <DeletionDialog
          projectId={projectId}
          target={{ kind: "dataset", datasetId }}
          title={`Delete the dataset "${props.name ?? ""}"?`}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ projectId, datasetId })}
          onCancel={() => {
            remove.reset();
            setDeleting(false);
          }}
        />
      )}
    </div>
  );
}
