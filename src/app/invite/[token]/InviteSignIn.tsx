"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

/**
 * Sign in (or create an account) without leaving the invitation: afterwards the page re-renders
 * signed in and offers "Accept". (The main sign-in page always continues to /projects.)
 */
export function InviteSignIn() {
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
      if (mode === "sign-up") await signUp.mutateAsync({ email, password });
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) {
        setError("Wrong email or password");
        return;
      }
      router.refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p>{mode === "sign-in" ? "Sign in to accept." : "Create an account to accept."}</p>
      <form onSubmit={(e) => void onSubmit(e)}>
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
      <p className="muted">
        <a
          href="#"
          onClick={(e) => {
            e.preventDefault();
            setMode(mode === "sign-in" ? "sign-up" : "sign-in");
          }}
        >
          {mode === "sign-in" ? "No account yet? Create one" : "Already have an account? Sign in"}
        </a>
      </p>
    </>
  );
}
