"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

export function AcceptInvitation({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (result) => router.push(`/projects/${result.projectId}`),
    }),
  );
  return (
    <>
      <p className="muted">Signed in as {email}.</p>
      <button
        className="primary"
        type="button"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ token })}
      >
        Accept invitation
      </button>
      {accept.error && <p className="error">{errorMessage(accept.error)}</p>}
    </>
  );
}
