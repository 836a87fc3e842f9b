"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import { RoleHelp } from "~/components/members/RoleHelp";
import { RolePicker } from "~/components/members/RolePicker";
import type { Role } from "~/core/roles";
import { useTRPC } from "~/trpc/react";

/** The project's members; those who may manage members (`can.manageMembers`) add, re-role and remove them. */
export function MembersPanel({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ projectId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ projectId }) });
  const add = useMutation(trpc.member.add.mutationOptions({ onSuccess: refresh }));
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: refresh }));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("ANNOTATOR");
  const error = add.error ?? changeRole.error ?? remove.error;

  function onAdd(event: FormEvent) {
    event.preventDefault();
    add.mutate({ projectId, email, role }, { onSuccess: () => setEmail("") });
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
        <form className="row" onSubmit={onAdd} style={{ marginTop: 12 }}>
          <input
            type="email"
            aria-label="Member email"
            placeholder="colleague@lab.org"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <RolePicker label="New member role" value={role} onChange={setRole} />
          <button type="submit" disabled={add.isPending}>
            Add member
          </button>
        </form>
      )}
      {canManage && <RoleHelp />}
      {error && <p className="error">{errorMessage(error)}</p>}
    </section>
  );
}
