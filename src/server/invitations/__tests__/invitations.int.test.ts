/** Invitation links on a real database: single use, expiry, revocation, no demotion, hashed tokens. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { callerFor, seedProject, seedUser } from "../../../../tests/helpers/seed";
import { acceptInvitation } from "../accept-invitation";

async function setup() {
  const { project, users } = await seedProject(db, { owner: "OWNER", editor: "EDITOR" });
  const owner = callerFor(db, users.owner!);
  /** An invitation to the project for `role`, created by `by` (the owner unless said). */
  const invite = (role: "ANNOTATOR" | "VIEWER" | "EDITOR", expiresInDays = 7, by = owner) =>
    by.invitation.create({ projectId: project.id, role, expiresInDays });
  return { project, owner, editor: callerFor(db, users.editor!), users, invite };
}

describe("invitations", () => {
  it("let a signed-in user join with the invited role, once", async () => {
    const s = await setup();
    const invitation = await s.invite("ANNOTATOR");
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(invitation.token).digest("hex"));

    // Public preview: the project's name, the role and the expiry, nothing else.
    const preview = await callerFor(db, null).invitation.preview({ token: invitation.token });
    expect(Object.keys(preview).sort()).toEqual(["expiresAt", "projectName", "role"]);
    expect(preview).toMatchObject({ projectName: s.project.name, role: "ANNOTATOR" });

    await expect(callerFor(db, null).invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const newcomer = await seedUser(db, "newcomer");
    const joined = await callerFor(db, newcomer).invitation.accept({ token: invitation.token });
    expect(joined).toMatchObject({ projectId: s.project.id, role: "ANNOTATOR" });
    expect((await callerFor(db, newcomer).project.get({ projectId: s.project.id })).role).toBe("ANNOTATOR");

    // Used: nobody else gets in with it, and the preview is gone too.
    const late = await seedUser(db, "late");
    await expect(callerFor(db, late).invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(db, null).invitation.preview({ token: invitation.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await s.owner.invitation.list({ projectId: s.project.id })).toEqual([]);
  });

  it("stop working when revoked or expired", async () => {
    const s = await setup();
    const revoked = await s.invite("VIEWER");
    await s.owner.invitation.revoke({ projectId: s.project.id, invitationId: revoked.id });
    const user = await seedUser(db, "u");
    await expect(callerFor(db, user).invitation.accept({ token: revoked.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    const expiring = await s.invite("VIEWER", 1);
    await expect(
      acceptInvitation({
        db,
        userId: user.id,
        token: expiring.token,
        now: new Date(Date.now() + 2 * 86_400_000),
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.membership.count({ where: { projectId: s.project.id, userId: user.id } })).toBe(0);
  });

  it("never demote an existing member, and only owners manage them", async () => {
    const s = await setup();
    await expect(s.invite("VIEWER", 7, s.editor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const invitation = await s.invite("VIEWER");
    const result = await s.editor.invitation.accept({ token: invitation.token });
    expect(result).toMatchObject({ role: "EDITOR", alreadyMember: true });
    // The link stays usable for the person it was meant for.
    expect(await s.owner.invitation.list({ projectId: s.project.id })).toHaveLength(1);
  });

  it("admit one of two people racing with the same link", async () => {
    const s = await setup();
    const invitation = await s.invite("EDITOR");
    const [a, b] = [await seedUser(db, "a"), await seedUser(db, "b")];
    const results = await Promise.allSettled([
      callerFor(db, a).invitation.accept({ token: invitation.token }),
      callerFor(db, b).invitation.accept({ token: invitation.token }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { projectId: s.project.id, role: "EDITOR" } })).toBe(2);
  });
});
