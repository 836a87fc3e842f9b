import "server-only";
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { safeRedirectPath } from "~/core/safe-redirect";
import { db } from "~/server/db";
import { serverEnv } from "~/server/env";
import { signInWithPassword, upsertOidcUser } from "~/server/users/authenticate";
import { endSession, isSessionLive, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";

/** Too many failed attempts: the sign-in form tells the user to wait instead of "wrong password". */
class ThrottledSignIn extends CredentialsSignin {
  override code = "throttled";
}

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

const credentialsSchema = z.object({ email: z.string().email(), password: z.string().min(1) });

function oidcProviders(): NextAuthConfig["providers"] {
  const env = serverEnv();
  if (!env.AUTH_OIDC_ISSUER || !env.AUTH_OIDC_ID) return [];
  return [
    {
      id: "oidc",
      name: env.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_ID,
      clientSecret: env.AUTH_OIDC_SECRET,
    },
  ];
}

export const authConfig = {
  // Self-hosted behind any host name; the secret comes from AUTH_SECRET.
  trustHost: true,
  // A signed cookie naming a server-side session row (./sessions.ts), checked on every request.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const outcome = await signInWithPassword({ db, ...parsed.data, headers: request.headers });
        if (outcome.kind === "throttled") throw new ThrottledSignIn();
        return outcome.kind === "signed-in" ? outcome.user : null;
      },
    }),
    ...oidcProviders(),
  ],
  callbacks: {
    // Every redirect after sign-in or sign-out goes through the one same-site rule.
    redirect({ url, baseUrl }) {
      const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
      return `${baseUrl}${safeRedirectPath(path)}`;
    },
    async jwt({ token, user, account, profile }) {
      if (account && account.provider !== "credentials") {
        const email = profile?.email ?? user?.email;
        if (!email) throw new Error("The identity provider did not return an email address");
        const dbUser = await upsertOidcUser({
          db,
          email,
          name: profile?.name ?? user?.name ?? null,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          type: account.type,
        });
        token.uid = dbUser.id;
        token.sid = await startSession({ db, userId: dbUser.id });
        return token;
      }
      if (user?.id) {
        token.uid = user.id;
        token.sid = await startSession({ db, userId: user.id });
        return token;
      }
      // Every later request: the session must still exist (signed out, removed or expired: null
      // ends it, and next-auth clears the cookie).
      if (typeof token.uid !== "string" || typeof token.sid !== "string") return null;
      return (await isSessionLive({ db, sessionToken: token.sid, userId: token.uid })) ? token : null;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sessionToken = "token" in message ? message.token?.sid : undefined;
      if (typeof sessionToken === "string") await endSession({ db, sessionToken });
    },
  },
} satisfies NextAuthConfig;
