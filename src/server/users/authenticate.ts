import type { Db } from "~/server/db";
import { verifyPassword } from "~/server/auth/password";

export async function authenticateWithPassword(options: { db: Db; email: string; password: string }) {
  const user = await options.db.user.findUnique({ where: { email: options.email.toLowerCase() } });
  if (!user?.passwordHash) return null;
  return (await verifyPassword(options.password, user.passwordHash)) ? user : null;
}

/** Links an OIDC identity to the user with the same email, creating the user if needed. */
export async function upsertOidcUser(options: {
  db: Db;
  email: string;
  name: string | null;
  provider: string;
  providerAccountId: string;
  type: string;
}) {
  const email = options.email.toLowerCase();
  const user = await options.db.user.upsert({
    where: { email },
    update: {},
    create: { email, name: options.name },
  });
  await options.db.account.upsert({
    where: {
      provider_providerAccountId: {
        provider: options.provider,
        providerAccountId: options.providerAccountId,
      },
    },
    update: {},
    create: {
      userId: user.id,
      type: options.type,
      provider: options.provider,
      providerAccountId: options.providerAccountId,
    },
  });
  return user;
}
