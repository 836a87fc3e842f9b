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

describe("invitations addressed to an email", () => {
  /** The answer with what differs between any two invitations (id, token, email, expiry) blanked. */
  const shape = (answer: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(answer).map(([key, value]) => [
        key,
        ["id", "token", "email", "expiresAt"].includes(key) ? typeof value : value,
      ]),
    );

  it("answer the same whether or not an account uses the email, and add nobody", async () => {
    const s = await setup();
    const existing = await seedUser(db, "existing");
    const ghostEmail = "nobody-has-this@example.test";
    const before = await db.membership.count({ where: { projectId: s.project.id } });

    const toExisting = await s.owner.invitation.create({
      projectId: s.project.id,
      email: existing.email,
      role: "EDITOR",
    });
    const toGhost = await s.owner.invitation.create({ projectId: s.project.id, email: ghostEmail, role: "EDITOR" });
    expect(Object.keys(toExisting).sort()).toEqual(Object.keys(toGhost).sort());
    expect(shape(toExisting)).toEqual(shape(toGhost));
    expect(toExisting).toMatchObject({ email: existing.email, role: "EDITOR" });
    expect(toGhost).toMatchObject({ email: ghostEmail, role: "EDITOR" });
    // The activity log says the same of both, and names no address.
    const audit = await db.auditEvent.findMany({
      where: { projectId: s.project.id, action: "invitation.create" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((e) => ({ ...(e.data as object), expiresAt: "-" }))).toEqual([
      { role: "EDITOR", expiresAt: "-", addressed: true },
      { role: "EDITOR", expiresAt: "-", addressed: true },
    ]);

    // Both are pending; the invitee is not a member until they accept.
    const pending = await s.owner.invitation.list({ projectId: s.project.id });
    expect(pending.map((i) => i.email).sort()).toEqual([existing.email, ghostEmail].sort());
    expect(await db.membership.count({ where: { projectId: s.project.id } })).toBe(before);
    await expect(callerFor(db, existing).project.get({ projectId: s.project.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    // The invitee sees it, accepts it and only then is a member.
    const ownerRow = await db.user.findUniqueOrThrow({ where: { id: s.users.owner!.id } });
    const mine = await callerFor(db, existing).invitation.mine();
    expect(mine).toEqual([
      {
        id: toExisting.id,
        projectName: s.project.name,
        role: "EDITOR",
        expiresAt: toExisting.expiresAt,
        invitedBy: ownerRow.name ?? ownerRow.email,
      },
    ]);
    await callerFor(db, existing).invitation.acceptMine({ invitationId: toExisting.id });
    expect((await callerFor(db, existing).project.get({ projectId: s.project.id })).role).toBe("EDITOR");
    expect(await callerFor(db, existing).invitation.mine()).toEqual([]);
    expect((await s.owner.invitation.list({ projectId: s.project.id })).map((i) => i.email)).toEqual([ghostEmail]);
  });

  it("can be accepted only by the account with that email, by link or from the list", async () => {
    const s = await setup();
    const invitee = await seedUser(db, "invitee");
    const other = await seedUser(db, "other");
    const invitation = await s.owner.invitation.create({
      projectId: s.project.id,
      email: invitee.email.toUpperCase(),
      role: "ANNOTATOR",
    });

    // Another account: not in its list, not by id, not by the link.
    expect(await callerFor(db, other).invitation.mine()).toEqual([]);
    await expect(callerFor(db, other).invitation.acceptMine({ invitationId: invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(db, other).invitation.decline({ invitationId: invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(db, other).invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // An existing member with another email cannot use it either (not even as a no-op).
    await expect(s.editor.invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.membership.count({ where: { projectId: s.project.id, userId: other.id } })).toBe(0);

    // The invitee, by the link.
    const joined = await callerFor(db, invitee).invitation.accept({ token: invitation.token });
    expect(joined).toMatchObject({ projectId: s.project.id, role: "ANNOTATOR", alreadyMember: false });
    expect((await callerFor(db, invitee).project.get({ projectId: s.project.id })).role).toBe("ANNOTATOR");
  });

  it("can be declined by the invitee, after which nobody can accept it", async () => {
    const s = await setup();
    const invitee = await seedUser(db, "invitee");
    const invitation = await s.owner.invitation.create({
      projectId: s.project.id,
      email: invitee.email,
      role: "VIEWER",
    });
    await expect(callerFor(db, null).invitation.decline({ invitationId: invitation.id })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });

    await callerFor(db, invitee).invitation.decline({ invitationId: invitation.id });
    expect(await callerFor(db, invitee).invitation.mine()).toEqual([]);
    expect(await s.owner.invitation.list({ projectId: s.project.id })).toEqual([]);
    await expect(callerFor(db, invitee).invitation.accept({ token: invitation.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(db, invitee).invitation.acceptMine({ invitationId: invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await db.membership.count({ where: { projectId: s.project.id, userId: invitee.id } })).toBe(0);
    const declined = await db.auditEvent.findFirstOrThrow({
      where: { projectId: s.project.id, action: "invitation.decline" },
    });
    expect(declined).toMatchObject({ actorId: invitee.id, targetId: invitation.id });
  });

  it("replace an older pending invitation to the same address", async () => {
    const s = await setup();
    const first = await s.owner.invitation.create({ projectId: s.project.id, email: "x@example.test", role: "VIEWER" });
    const second = await s.owner.invitation.create({
      projectId: s.project.id,
      email: "X@example.test",
      role: "EDITOR",
    });
    expect((await s.owner.invitation.list({ projectId: s.project.id })).map((i) => i.id)).toEqual([second.id]);
    await expect(callerFor(db, null).invitation.preview({ token: first.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("are refused for a malformed email", async () => {
    const s = await setup();
    await expect(
      s.owner.invitation.create({ projectId: s.project.id, email: "not-an-email", role: "VIEWER" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
