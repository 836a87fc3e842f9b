import { describe, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { db } from "~/server/db";
import { callerFor, seedUser } from "../../../../tests/helpers/seed";

type Seeded = Awaited<ReturnType<typeof seedUser>>;

async function projectOwnedBy(label: string) {
  const owner = await seedUser(db, label);
  const asOwner = callerFor(db, owner);
  const project = await asOwner.project.create({ name: "Li plating" });
  /** Invites `user` by email and lets them accept (nobody joins without accepting). */
  const invite = async (user: Seeded, role: "OWNER" | "EDITOR" | "ANNOTATOR" | "VIEWER", email = user.email) => {
    const invitation = await asOwner.invitation.create({ projectId: project.id, email, role });
    await callerFor(db, user).invitation.acceptMine({ invitationId: invitation.id });
  };
  return { owner, project, asOwner, invite };
}

describe("projects and members", () => {
  it("creates a project with its owner and the default label classes", async () => {
    const { owner, project, asOwner } = await projectOwnedBy("creator");
    const mine = await asOwner.project.list();
    expect(mine.map((p) => [p.id, p.role])).toEqual([[project.id, "OWNER"]]);
    const classes = await asOwner.labelClass.list({ projectId: project.id });
    expect(classes.map((c) => c.name)).toEqual(["Dendritic", "Spherical"]);
    const audit = await db.auditEvent.findMany({ where: { projectId: project.id } });
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([["project.create", owner.id]]);
  });

  it("invites a member by email, changes the role and removes them", async () => {
    const { project, asOwner, invite } = await projectOwnedBy("owner");
    const colleague = await seedUser(db, "colleague");
    await invite(colleague, "ANNOTATOR", colleague.email.toUpperCase());
    expect((await callerFor(db, colleague).project.get({ projectId: project.id })).role).toBe("ANNOTATOR");

    await asOwner.member.changeRole({ projectId: project.id, userId: colleague.id, role: "EDITOR" });
    expect((await callerFor(db, colleague).project.list())[0]?.role).toBe("EDITOR");

    await asOwner.member.remove({ projectId: project.id, userId: colleague.id });
    await expect(callerFor(db, colleague).project.get({ projectId: project.id })).rejects.toThrow("Project not found");
  });

  it("has no silent add: people join only by accepting an invitation", () => {
    expect(Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("member."))).toEqual(
      expect.not.arrayContaining(["member.add"]),
    );
    expect(Object.keys(appRouter._def.procedures)).toContain("member.changeRole");
  });

  it("refuses to invite someone who is already a member", async () => {
    const { owner, project, asOwner } = await projectOwnedBy("owner");
    await expect(
      asOwner.invitation.create({ projectId: project.id, email: owner.email, role: "VIEWER" }),
    ).rejects.toThrow(`${owner.email} is already a member`);
  });

  it("never lets the last owner leave or be demoted", async () => {
    const { owner, project, asOwner, invite } = await projectOwnedBy("owner");
    await expect(asOwner.member.leave({ projectId: project.id })).rejects.toThrow("A project needs at least one owner");
    await expect(
      asOwner.member.changeRole({ projectId: project.id, userId: owner.id, role: "EDITOR" }),
    ).rejects.toThrow("A project needs at least one owner");
    expect((await asOwner.project.get({ projectId: project.id })).role).toBe("OWNER");

    // With a second owner, the first may leave.
    const second = await seedUser(db, "second");
    await invite(second, "OWNER");
    await asOwner.member.leave({ projectId: project.id });
    expect(await asOwner.project.list()).toEqual([]);
  });

  it("lets only the owner delete a project, and deletion cascades", async () => {
    const { project, asOwner, invite } = await projectOwnedBy("owner");
    const editor = await seedUser(db, "editor");
    await invite(editor, "EDITOR");
    const dataset = await callerFor(db, editor).dataset.create({ projectId: project.id, name: "cells" });
    await expect(callerFor(db, editor).project.delete({ projectId: project.id })).rejects.toThrow(
      "This needs the OWNER role",
    );
    await asOwner.project.delete({ projectId: project.id });
    expect(await db.dataset.findUnique({ where: { id: dataset.id } })).toBeNull();
  });

  it("signs up with a hashed password and answers a taken email exactly as a new one", async () => {
    const anonymous = callerFor(db, null);
    const first = await anonymous.auth.signUp({ email: "Ada@Example.test", password: "correct horse" });
    const row = await db.user.findUniqueOrThrow({ where: { email: "ada@example.test" } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.passwordHash).not.toContain("correct horse");

    const again = await anonymous.auth.signUp({ email: "ada@example.test", password: "another one" });
    expect(again).toEqual(first);
    // The existing account keeps its password; no second account appears.
    expect((await db.user.findUniqueOrThrow({ where: { email: "ada@example.test" } })).passwordHash).toBe(
      row.passwordHash,
    );
    expect(await db.user.count({ where: { email: "ada@example.test" } })).toBe(1);
  });
});
