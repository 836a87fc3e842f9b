"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CopyableUrl, useCreatedLink } from "~/components/copyable-url";
import { errorMessage } from "~/components/error-message";
import { RoleHelp } from "~/components/members/RoleHelp";
import { RolePicker } from "~/components/members/RolePicker";
import type { Role } from "~/core/roles";
import { useTRPC } from "~/trpc/react";

/**
 * The project's members; those who may manage members (`can.manageMembers`) invite people by
 * email, re-role and remove members. An invitation is never a silent add: the person joins only
 * by accepting it, and the answer is the same whether or not an account uses the email.
 */
export function MembersPanel({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ projectId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ projectId }) });
  const newLink = useCreatedLink("/invite/", trpc.invitation.list.queryKey({ projectId }));
  const [invited, setInvited] = useState<string | null>(null);
  const invite = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: (result) => {
        newLink.onCreated(result);
        setInvited(result.email);
        setEmail("");
      },
    }),
  );
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: refresh }));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("ANNOTATOR");
  const error = invite.error ?? changeRole.error ?? remove.error;

  function onInvite(event: FormEvent) {
    event.preventDefault();
    invite.mutate({ projectId, email, role, expiresInDays: 7 });
  }

  return (
    <section className="panel">
      <h2>Members</h2>
      <table>
        <tbody>
          {members.data?.map((member) => (
            <tr key={member.userId}>
              <td>{member.name ?? member.email}</td>
              <td className="muted">{member.email}</td>
              <td>
                {canManage ? (
                  <RolePicker
                    label={`Role of ${member.email}`}
                    value={member.role}
                    onChange={(role) => changeRole.mutate({ projectId, userId: member.userId, role })}
                  />
                ) : (
                  <span className="badge">{member.role}</span>
                )}
              </td>
              <td>
                {canManage && (
                  <button className="danger" onClick={() => remove.mutate({ projectId, userId: member.userId })}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && (
        <form className="row" onSubmit={onInvite} style={{ marginTop: 12 }}>
          <input
            type="email"
            aria-label="Member email"
            placeholder="colleague@lab.org"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <RolePicker label="New member role" value={role} onChange={setRole} />
          <button type="submit" disabled={invite.isPending}>
            Invite by email
          </button>
        </form>
      )}
      {canManage && newLink.created && (
        <div data-testid="member-invited">
          <p className="muted">
            Invitation for {invited} created. They join once they accept it: signed in with that email, they find it
            under “Invitations for you” on their projects page, or you can send them this link (it works only for that
            email).
          </p>
          <CopyableUrl path={newLink.created} testId="member-invitation-url" />
        </div>
      )}
      {canManage && <RoleHelp />}
      {error && <p className="error">{errorMessage(error)}</p>}
    </section>
  );
}
