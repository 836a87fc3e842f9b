"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

/** "Invitations for you": the open invitations addressed to the signed-in user's email. */
export function MyInvitations() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.invitation.mine.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.invitation.mine.queryKey() });
  const accept = useMutation(
    trpc.invitation.acceptMine.mutationOptions({
      onSuccess: (result) => {
        refresh();
        void queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        router.push(`/projects/${result.projectId}`);
      },
    }),
  );
  const decline = useMutation(trpc.invitation.decline.mutationOptions({ onSuccess: refresh }));
  const error = accept.error ?? decline.error;

  if (!mine.data?.length && !error) return null;
  const busy = accept.isPending || decline.isPending;
  return (
    <section className="panel" data-testid="my-invitations">
      <h2>Invitations for you</h2>
      <ul>
        {mine.data?.map((invitation) => (
          <li key={invitation.id} data-testid="my-invitation">
            <strong>{invitation.projectName}</strong> as <span className="badge">{invitation.role}</span>
            {invitation.invitedBy && <span className="muted"> from {invitation.invitedBy}</span>}
            <span className="muted">, expires {invitation.expiresAt.toLocaleDateString("en-GB")}</span>{" "}
            <button
              className="primary"
              type="button"
              disabled={busy}
              onClick={() => accept.mutate({ invitationId: invitation.id })}
            >
              Accept
            </button>{" "}
            <button type="button" disabled={busy} onClick={() => decline.mutate({ invitationId: invitation.id })}>
              Decline
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="error">{errorMessage(error)}</p>}
    </section>
  );
}
