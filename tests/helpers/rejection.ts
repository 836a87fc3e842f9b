import { expect } from "vitest";

/** The error `promise` rejects with, asserted to be an instance of `ErrorClass`. */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  ErrorClass: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ErrorClass);
  return error as E;
}
