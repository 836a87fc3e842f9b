"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { useTRPC } from "~/trpc/react";

export function AppHeader({ email }: { email: string | null }) {
  const trpc = useTRPC();
  // Ends the sessions on every device (a lost laptop, a shared computer), then this one.
  const signOutEverywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({ onSettled: () => void signOut({ redirectTo: "/sign-in" }) }),
  );
  return (
    <header className="header">
      <Link className="brand" href="/projects">
        Visual-CCC
      </Link>
      <span className="spacer" />
      {email ? (
        <>
          <span className="muted" data-testid="signed-in-as">
            {email}
          </span>
          <button onClick={() => void signOut({ redirectTo: "/sign-in" })}>Sign out</button>
          <button
            title="Sign out on every device and browser"
            disabled={signOutEverywhere.isPending}
            onClick={() => signOutEverywhere.mutate()}
          >
            Sign out everywhere
          </button>
        </>
      ) : (
        <Link href="/sign-in">Sign in</Link>
      )}
    </header>
  );
}
