import type { Db } from "~/server/db";
import { hashPassword } from "~/server/auth/password";
import { AppError, isUniqueViolation } from "~/server/errors";

export async function signUp(options: { db: Db; email: string; password: string; name?: string }) {
  try {
    const user = await options.db.user.create({
      data: {
        email: options.email.toLowerCase(),
        name: options.name ?? null,
        passwordHash: await hashPassword(options.password),
      },
      select: { id: true, email: true, name: true },
    });
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "An account with this email already exists");
    }
    throw error;
  }
}
