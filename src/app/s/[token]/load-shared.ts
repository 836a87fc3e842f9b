import { notFound } from "next/navigation";
import { AppError } from "~/server/errors";

/** Runs a token-scoped read; any NOT_FOUND (bad, revoked, expired link or foreign id) is a 404 page. */
export async function loadShared<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
