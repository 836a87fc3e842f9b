"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

export type SignInFormProps = {
  oidcName?: string | null;
  /** Where to go once signed in; the current page re-renders when it is the same. @default "/projects" */
  redirectTo?: string;
  /** Inside another page's panel (an invitation): no own frame and heading. */
  embedded?: boolean;
};

export function SignInForm({ oidcName = null, redirectTo = "/projects", embedded = false }: SignInFormProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const [mode, setMode] = useState<"sign-in" | "sign-up">("sign-in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setError(null);
    setBusy(true);
    try {
      if (mode === "sign-up") {
        await signUp.mutateAsync({ email, password, name: String(form.get("name") ?? "") || undefined });
      }
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) {
        setError(signInFailure(mode, result?.code));
        return;
      }
      router.push(redirectTo);
      router.refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={embedded ? undefined : "auth-box panel"}>
      {embedded ? (
        <p>{mode === "sign-in" ? "Sign in to accept." : "Create an account to accept."}</p>
      ) : (
        <h1>{mode === "sign-in" ? "Sign in to Visual-CCC" : "Create your account"}</h1>
      )}
      <form onSubmit={(e) => void onSubmit(e)}>
        {mode === "sign-up" && <input name="name" placeholder="Name (optional)" autoComplete="name" />}
        <input name="email" type="email" placeholder="Email" required autoComplete="email" />
        <input
          name="password"
          type="password"
          placeholder={mode === "sign-up" ? "Password (8+ characters)" : "Password"}
          required
          minLength={mode === "sign-up" ? 8 : 1}
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
        />
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </button>
      </form>
      {oidcName && (
        <p>
          <button onClick={() => void signIn("oidc", { redirectTo })}>{oidcName}</button>
        </p>
      )}
      <p className="muted">
        {mode === "sign-in" ? "No account yet? " : "Already have an account? "}
        <a
          href="#"
          onClick={(e) => {
            e.preventDefault();
            setError(null);
            setMode(mode === "sign-in" ? "sign-up" : "sign-in");
          }}
        >
          {mode === "sign-in" ? "Create one" : "Sign in"}
        </a>
      </p>
    </div>
  );
}

/**
 * Why signing in did not work, in words. Sign-up answers the same whether or not the address is
 * taken (no account enumeration), so a failed sign-in right after it says both possibilities.
 */
function signInFailure(mode: "sign-in" | "sign-up", code: string | null | undefined): string {
  if (code === "throttled") return "Too many failed attempts. Wait a minute and try again.";
  if (mode === "sign-up") {
    return "Could not sign in with these details. If this email already has an account, sign in with its password.";
  }
  return "Wrong email or password";
}
