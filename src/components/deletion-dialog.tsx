"use client";

import { useQuery } from "@tanstack/react-query";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { describeImageDeletion, describeLabelClassDeletion } from "~/core/deletion-impact";
import { errorMessage } from "~/components/error-message";
import { useTRPC, type RouterInputs } from "~/trpc/react";

export type DeletionTarget = RouterInputs["dataset"]["deletionImpact"]["target"];

/**
 * "Delete …?" with what it removes, counted by the server (`dataset.deletionImpact`) when the
 * dialog opens; the delete button waits for the counts. `onConfirm` runs the deletion.
 */
export function DeletionDialog(props: {
  projectId: string;
  target: DeletionTarget;
  title: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const impact = useQuery(
    trpc.dataset.deletionImpact.queryOptions(
      { projectId: props.projectId, target: props.target },
      { staleTime: 0, gcTime: 0 },
    ),
  );
  const error = props.error ?? impact.error;
  return (
    <ConfirmDialog
      title={props.title}
      testId="deletion-dialog"
      confirmLabel="Delete"
      danger
      busy={props.busy}
      ready={impact.isSuccess}
      error={error ? errorMessage(error) : null}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p style={{ margin: 0 }} data-testid="deletion-impact">
        {impact.data
          ? props.target.kind === "labelClass"
            ? describeLabelClassDeletion(impact.data)
            : describeImageDeletion(impact.data)
          : "Counting what this removes…"}
      </p>
      <p className="muted" style={{ margin: 0 }}>
        This cannot be undone; the activity log records it.
      </p>
    </ConfirmDialog>
  );
}
