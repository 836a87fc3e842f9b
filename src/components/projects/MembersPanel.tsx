"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

const ROLES = ["OWNER", "EDITOR", "ANNOTATOR", "VIEWER"] as const;
type Role = (typeof ROLES)[number];

export function MembersPanel({ projectId, isOwner }: { projectId: string; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ projectId }));
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ projectId }) });
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
                {isOwner ? (
                  <select
                    aria-label={`Role of ${member.email}`}
                    value={member.role}
                    onChange={(e) =>
                      changeRole.mutate({ projectId, userId: member.userId, role: e.target.value as Role })
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  <span className="badge">{member.role}</span>
                )}
              </td>
              <td>
                {isOwner && (
                  <button
                    className="danger"
                    onClick={() => remove.mutate({ projectId, userId: member.userId })}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner && (
        <form className="row" onSubmit={onAdd} style={{ marginTop: 12 }}>
          <input
            type="email"
            aria-label="Member email"
            placeholder="colleague@lab.org"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <select aria-label="New member role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" disabled={add.isPending}>
            Add member
          </button>
        </form>
      )}
      {error && <p className="error">{errorMessage(error)}</p>}
    </section>
  );
}
