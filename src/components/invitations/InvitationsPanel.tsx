"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "~/components/error-message";
import { CopyableUrl, useCreatedLink } from "~/components/copyable-url";
import { RoleHelp } from "~/components/members/RoleHelp";
import { RolePicker } from "~/components/members/RolePicker";
import type { Role } from "~/core/roles";
import { useTRPC } from "~/trpc/react";

/**
 * Owners create invitation links (no mail server needed), see the pending ones (links and those
 * addressed to an email from the members panel), and revoke them.
 */
export function InvitationsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const [role, setRole] = useState<Role>("ANNOTATOR");
  const [days, setDays] = useState(7);
  const invitations = useQuery(trpc.invitation.list.queryOptions({ projectId }));
  const newLink = useCreatedLink("/invite/", trpc.invitation.list.queryKey({ projectId }));
  const create = useMutation(trpc.invitation.create.mutationOptions({ onSuccess: newLink.onCreated }));
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions({ onSuccess: newLink.refresh }));

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
          Role <RolePicker label="Invitation role" value={role} onChange={setRole} />
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
      {newLink.created && <CopyableUrl path={newLink.created} testId="invitation-url" />}
      {invitations.data && invitations.data.length > 0 && (
        <ul>
          {invitations.data.map((invitation) => (
            <li key={invitation.id}>
              {invitation.email ? `${invitation.email}: ` : "Link: "}
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
