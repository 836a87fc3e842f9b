"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "~/components/error-message";
import { CopyableUrl } from "~/components/copyable-url";
import { RoleHelp } from "~/components/members/RoleHelp";
import { ROLES_HIGHEST_FIRST, type Role } from "~/core/roles";
import { useTRPC } from "~/trpc/react";

/** Owners create invitation links (no mail server needed), see the pending ones, and revoke them. */
export function InvitationsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>("ANNOTATOR");
  const [days, setDays] = useState(7);
  const [created, setCreated] = useState<string | null>(null);
  const invitations = useQuery(trpc.invitation.list.queryOptions({ projectId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey({ projectId }) });
  const create = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: (result) => {
        setCreated(`/invite/${result.token}`);
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions({ onSuccess: refresh }));

  return (
    <section className="panel" data-testid="invitations-panel">
      <h2>Invitation links</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ projectId, role, expiresInDays: days });
        }}
      >
        <label>
          Role{" "}
          <select aria-label="Invitation role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES_HIGHEST_FIRST.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires after{" "}
          <input
            type="number"
            min={1}
            max={30}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            style={{ width: 60 }}
          />{" "}
          days
        </label>
        <button className="primary" type="submit" disabled={create.isPending}>
          Create invitation link
        </button>
        {create.error && <span className="error">{errorMessage(create.error)}</span>}
      </form>
      <RoleHelp />
      {created && <CopyableUrl path={created} testId="invitation-url" />}
      {invitations.data && invitations.data.length > 0 && (
        <ul>
          {invitations.data.map((invitation) => (
            <li key={invitation.id}>
              {invitation.role}, expires {invitation.expiresAt.toLocaleString()}{" "}
              <button type="button" onClick={() => revoke.mutate({ projectId, invitationId: invitation.id })}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
