/**
 * Every procedure of the router, called by everyone who must not reach it. The router is
 * enumerated, so a new procedure without an access declaration, or with a check that lets a
 * lower role through, fails here.
 */
import { trpcErrorCode } from "../../../../tests/helpers/trpc-error-code";
import { describe, expect, it } from "vitest";
import type { Role } from "~/generated/prisma/enums";
import { appRouter } from "~/server/api/root";
import type { ProcedureMeta } from "~/server/api/trpc";
import { ROLES, roleAtLeast } from "~/core/roles";
import { db } from "~/server/db";
import { callerFor, seedProject, seedUser } from "../../../../tests/helpers/seed";

type AnyProcedure = { _def: { meta?: ProcedureMeta; type: string } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

/** The only procedures that are not scoped to one project, and why. */
const NOT_PROJECT_SCOPED: Record<string, ProcedureMeta["access"]["kind"]> = {
  "auth.signUp": "public", // creating an account
  "auth.signOutEverywhere": "user", // ends the caller's own sessions
  "project.list": "user", // lists the caller's own memberships
  "project.create": "user", // the creator becomes its owner
  "invitation.preview": "public", // the token is the credential; answers name, role, expiry only
  "invitation.accept": "user", // the token is the credential; joins the caller to its project
  "invitation.mine": "user", // lists invitations addressed to the caller's own email
  "invitation.acceptMine": "user", // accepts an invitation addressed to the caller's own email
  "invitation.decline": "user", // declines an invitation addressed to the caller's own email
};

function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown) {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

describe("access control on every procedure", () => {
  it("enumerates a non-trivial router", () => {
    expect(procedures.length).toBeGreaterThan(10);
  });

  it.each(procedures)("%s declares its access", (path, procedure) => {
    const access = procedure._def.meta?.access;
    expect(access, `${path} has no meta.access`).toBeDefined();
    if (access?.kind !== "project") expect(NOT_PROJECT_SCOPED[path]).toBe(access?.kind);
  });

  const projectScoped = procedures.filter(([, p]) => p._def.meta?.access.kind === "project");

  it.each(projectScoped)("%s refuses outsiders, anonymous callers and lower roles", async (path, procedure) => {
    const access = procedure._def.meta!.access as { kind: "project"; minimum: Role };
    const members = Object.fromEntries(ROLES.map((role) => [role, role])) as Record<string, Role>;
    const { project, users } = await seedProject(db, members);
    const outsider = await seedUser(db, "outsider");
    const input = { projectId: project.id };

    expect(await trpcErrorCode(call(callerFor(db, null), path, input))).toBe("UNAUTHORIZED");
    expect(await trpcErrorCode(call(callerFor(db, outsider), path, input))).toBe("NOT_FOUND");
    for (const role of ROLES.filter((r) => !roleAtLeast(r, access.minimum))) {
      expect(await trpcErrorCode(call(callerFor(db, users[role]!), path, input)), role).toBe("FORBIDDEN");
    }
    // The required role gets past the check (it may then fail on the rest of the input).
    const allowed = await trpcErrorCode(call(callerFor(db, users[access.minimum]!), path, input));
    expect(["OK", "BAD_REQUEST", "NOT_FOUND", "CONFLICT"]).toContain(allowed);
    // A project id that does not exist reveals nothing either.
    const ghost = await trpcErrorCode(call(callerFor(db, users.OWNER!), path, { projectId: "nope" }));
    expect(ghost).toBe("NOT_FOUND");
  });
});
