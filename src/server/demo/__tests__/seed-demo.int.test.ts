import { describe, expect, it } from "vitest";
import { verifyPassword } from "~/server/auth/password";
import { db } from "~/server/db";
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from "~/server/demo/seed-demo";

describe("demo seed", () => {
  it("creates the demo account, project and images once, and never touches a used database", async () => {
    expect(await seedDemo(db)).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL } });
    expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash!)).toBe(true);
    const images = await db.image.findMany({
      where: { project: { memberships: { some: { userId: user.id } } } },
    });
    expect(images.length).toBe(3);
    expect(images.every((image) => image.width > 300 && image.bitDepth === 8)).toBe(true);

    expect(await seedDemo(db)).toBe(false);
    expect(await db.image.count()).toBe(3);
    expect(await db.user.count()).toBe(1);
  });
});
