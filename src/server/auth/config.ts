import "server-only";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { safeRedirectPath } from "~/core/safe-redirect";
import { db } from "~/server/db";
import { serverEnv } from "~/server/env";
import { authenticateWithPassword, upsertOidcUser } from "~/server/users/authenticate";

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
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticateWithPassword({ db, ...parsed.data });
        return user ? { id: user.id, email: user.email, name: user.name } : null;
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
      } else if (user?.id) {
        token.uid = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
} satisfies NextAuthConfig;
