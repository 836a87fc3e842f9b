"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";

export function AppHeader({ email }: { email: string | null }) {
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
        </>
      ) : (
        <Link href="/sign-in">Sign in</Link>
      )}
    </header>
  );
}
