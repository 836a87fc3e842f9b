/**
 * The upload and image-serving route handlers, called as Next calls them, on the real database
 * and blob store. Only the session is stubbed (next-auth needs a running Next server).
 */
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UploadResponse } from "~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route";
import type { Role } from "~/generated/prisma/enums";
import { db } from "~/server/db";
import { jpegRgb, pngRgb } from "~/server/codecs/__tests__/test-images";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { seedDataset, storedCounts } from "./ingest-fixtures";

vi.hoisted(() => {
  // A small per-file limit so the request-size guard can be exercised with small bodies.
  process.env.UPLOAD_MAX_BYTES = String(256 * 1024);
});
vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));

const { POST } = await import("~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route");
const { GET } = await import("~/app/api/images/[imageId]/[variant]/route");

beforeEach(() => {
  signedIn.userId = null;
});

type Seeded = Awaited<ReturnType<typeof seedDataset>>;

function uploadRequest(seeded: Seeded, files: { name: string; bytes: Buffer }[]) {
  const form = new FormData();
  for (const file of files) form.append("files", new Blob([new Uint8Array(file.bytes)]), file.name);
  const request = new Request("http://localhost/upload", { method: "POST", body: form });
  return POST(request, {
    params: Promise.resolve({ projectId: seeded.project.id, datasetId: seeded.dataset.id }),
  });
}

function imageRequest(imageId: string, variant: string, headers: Record<string, string> = {}) {
  return GET(new Request(`http://localhost/api/images/${imageId}/${variant}`, { headers }), {
    params: Promise.resolve({ imageId, variant }),
  });
}

async function addMember(seeded: Seeded, role: Role) {
  const user = await db.user.create({
    data: { email: `${role.toLowerCase()}-${Math.random()}@example.test` },
  });
  await db.membership.create({ data: { projectId: seeded.project.id, userId: user.id, role } });
  return user;
}

describe("POST /api/projects/:projectId/datasets/:datasetId/upload", () => {
  it("stores the files of an EDITOR and answers one result per file", async () => {
    const seeded = await seedDataset(db, "EDITOR");
    signedIn.userId = seeded.user.id;
    const response = await uploadRequest(seeded, [
      { name: "a.png", bytes: await pngRgb(30, 30, 21) },
      { name: "b.jpg", bytes: await jpegRgb(30, 30, 21) },
      { name: "c.png", bytes: Buffer.from("not an image") },
    ]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as UploadResponse;
    expect(body.results.map(({ fileName, status }) => ({ fileName, status }))).toEqual([
      { fileName: "a.png", status: "stored" },
      { fileName: "b.jpg", status: "stored" },
      { fileName: "c.png", status: "rejected" },
    ]);
  });

  it("answers 401 JSON when not signed in", async () => {
    const seeded = await seedDataset(db);
    const response = await uploadRequest(seeded, [{ name: "a.png", bytes: await pngRgb(10, 10, 22) }]);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in to continue.", code: "UNAUTHORIZED" });
  });

  it("refuses VIEWERs (403) and non-members (404), storing nothing", async () => {
    const seeded = await seedDataset(db);
    const before = await storedCounts(db);
    signedIn.userId = (await addMember(seeded, "VIEWER")).id;
    const asViewer = await uploadRequest(seeded, [{ name: "a.png", bytes: await pngRgb(10, 10, 23) }]);
    expect(asViewer.status).toBe(403);
    signedIn.userId = (await seedDataset(db)).user.id; // a member of another project only
    const asStranger = await uploadRequest(seeded, [{ name: "a.png", bytes: await pngRgb(10, 10, 23) }]);
    expect(asStranger.status).toBe(404);
    expect(await storedCounts(db)).toEqual(before);
  });

  it("answers 413 from Content-Length before reading an absurdly large body", async () => {
    const seeded = await seedDataset(db);
    signedIn.userId = seeded.user.id;
    const request = new Request("http://localhost/upload", {
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(50 * 1024 ** 3),
      },
      body: "--x--",
    });
    const response = await POST(request, {
      params: Promise.resolve({ projectId: seeded.project.id, datasetId: seeded.dataset.id }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: "The upload is larger than 1.3 MiB, the limit for one request; send large files one per request.",
      code: "TOO_LARGE",
    });
  });

  it("answers 413 when a body without Content-Length grows past the limit", async () => {
    const seeded = await seedDataset(db);
    signedIn.userId = seeded.user.id;
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        if (sent > 16 * 1024 * 1024)
          controller.close(); // only if the guard failed
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request("http://localhost/upload", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await POST(request, {
      params: Promise.resolve({ projectId: seeded.project.id, datasetId: seeded.dataset.id }),
    });
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it("answers 400 when the form has no files", async () => {
    const seeded = await seedDataset(db);
    signedIn.userId = seeded.user.id;
    const form = new FormData();
    form.append("note", "no files here");
    const response = await POST(new Request("http://localhost/upload", { method: "POST", body: form }), {
      params: Promise.resolve({ projectId: seeded.project.id, datasetId: seeded.dataset.id }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'No files: send one or more files in the form field "files".',
    });
  });
});

describe("GET /api/images/:imageId/:variant", () => {
  async function storedImage() {
    const seeded = await seedDataset(db, "EDITOR");
    signedIn.userId = seeded.user.id;
    const png = await pngRgb(400, 300, 31);
    const response = await uploadRequest(seeded, [{ name: "micrograph.png", bytes: png }]);
    const body = (await response.json()) as UploadResponse;
    const imageId = body.results[0]?.imageId ?? "";
    signedIn.userId = null;
    return { seeded, png, imageId };
  }

  it("serves the original to any member, with the content hash as ETag and private caching", async () => {
    const { seeded, png, imageId } = await storedImage();
    signedIn.userId = (await addMember(seeded, "VIEWER")).id;
    const response = await imageRequest(imageId, "original");
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    expect(response.headers.get("etag")).toBe(`"${createHash("sha256").update(png).digest("hex")}"`);
    expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-length")).toBe(String(png.length));
  });

  it("serves the thumbnail as PNG with the thumbnail's own hash as ETag", async () => {
    const { seeded, imageId } = await storedImage();
    signedIn.userId = seeded.user.id;
    const response = await imageRequest(imageId, "thumbnail");
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(response.headers.get("etag")).toBe(`"${createHash("sha256").update(bytes).digest("hex")}"`);
  });

  it("answers 304 to a matching If-None-Match (strong or weak)", async () => {
    const { seeded, imageId } = await storedImage();
    signedIn.userId = seeded.user.id;
    const etag = (await imageRequest(imageId, "original")).headers.get("etag") ?? "";
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const response = await imageRequest(imageId, "original", { "if-none-match": ifNoneMatch });
      expect(response.status).toBe(304);
      expect(response.headers.get("etag")).toBe(etag);
      expect(await response.text()).toBe("");
    }
    expect((await imageRequest(imageId, "original", { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("answers the same 404 for non-members, unknown ids and unknown variants", async () => {
    const { imageId } = await storedImage();
    signedIn.userId = (await seedDataset(db)).user.id;
    for (const response of [
      await imageRequest(imageId, "original"),
      await imageRequest(imageId, "thumbnail"),
      await imageRequest("no-such-image", "original"),
      await imageRequest(imageId, "raw"),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "Image not found", code: "NOT_FOUND" });
    }
  });

  it("answers 401 when not signed in", async () => {
    const { imageId } = await storedImage();
    expect((await imageRequest(imageId, "original")).status).toBe(401);
  });
});
