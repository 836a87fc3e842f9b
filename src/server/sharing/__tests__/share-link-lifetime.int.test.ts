/**
 * A share link is the creator's act: it lives only while its creator may still share in the
 * project, the owner sees who made each link, and what it serves is re-encoded from pixels, so no
 * metadata of the uploaded file (EXIF: camera, GPS, operator, software) leaves with it.
 */
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/server/db";
import { callerFor } from "../../../../tests/helpers/seed";
import { seedProjectWithDataset, seedStoredImageRow } from "../../../../tests/helpers/project-images";

vi.mock("~/server/auth", () => ({ auth: async () => null }));
const imageRoute = await import("~/app/api/share/[token]/images/[imageId]/[variant]/route");

const getDisplay = (token: string, imageId: string) =>
  imageRoute.GET(new Request(`http://test/api/share/${token}/images/${imageId}/display`), {
    params: Promise.resolve({ token, imageId, variant: "display" }),
  });

const NOTHING_ELSE = { overlays: [], annotations: false, prediction: false, metrics: false };

/** A JPEG carrying EXIF that must not leave through a share link. */
async function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 120, b: 150 } } })
    .withExif({ IFD0: { Make: "SecretScope", Artist: "Dr. Private Person", Software: "leaky-1.0" } })
    .jpeg()
    .toBuffer();
}

async function setup() {
  const { project, users, dataset } = await seedProjectWithDataset(db, { owner: "OWNER", editor: "EDITOR" }, "shared");
  const bytes = await jpegWithExif();
  const image = await seedStoredImageRow(db, {
    projectId: project.id,
    datasetId: dataset.id,
    fileName: "exif.jpg",
    bytes,
    format: "jpeg",
    width: 40,
    height: 30,
    channels: 3,
  });
  const owner = callerFor(db, users.owner!);
  const link = await callerFor(db, users.editor!).share.create({
    projectId: project.id,
    target: { kind: "image", imageId: image.id },
    include: NOTHING_ELSE,
    expiresInDays: null,
  });
  return { project, users, image, owner, link, bytes };
}

describe("share link lifetime and renditions", () => {
  it("serves a display rendition without the upload's metadata", async () => {
    const s = await setup();
    expect(s.bytes.includes(Buffer.from("SecretScope"))).toBe(true);
    const response = await getDisplay(s.link.token, s.image.id);
    expect(response.status).toBe(200);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(s.bytes)).toBe(false);
    for (const secret of ["SecretScope", "Private Person", "leaky-1.0", "Exif"]) {
      expect(served.includes(Buffer.from(secret)), secret).toBe(false);
    }
    expect((await sharp(served).metadata()).exif).toBeUndefined();
    expect(await sharp(served).metadata()).toMatchObject({ width: 40, height: 30 });
  });

  it("dies with its creator's membership, and the owner sees who made it and why it stopped", async () => {
    const s = await setup();
    expect((await getDisplay(s.link.token, s.image.id)).status).toBe(200);
    const [listed] = await s.owner.share.list({ projectId: s.project.id });
    expect(listed).toMatchObject({ active: true, createdBy: { email: s.users.editor!.email } });

    await s.owner.member.remove({ projectId: s.project.id, userId: s.users.editor!.id });
    expect((await getDisplay(s.link.token, s.image.id)).status).toBe(404);
    const [after] = await s.owner.share.list({ projectId: s.project.id });
    expect(after).toMatchObject({ active: false, inactiveReason: "creator lost the right to share" });
  });

  it("dies when its creator is demoted below the sharing role", async () => {
    const s = await setup();
    await s.owner.member.changeRole({ projectId: s.project.id, userId: s.users.editor!.id, role: "ANNOTATOR" });
    expect((await getDisplay(s.link.token, s.image.id)).status).toBe(404);
  });
});
