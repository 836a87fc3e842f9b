/**
 * Every route handler under src/app/api (next-auth's and tRPC's aside) is made by projectRoute:
 * it declares who may call it, refuses cross-site and wrongly typed writes before any work, and
 * serves bytes through serveBlob. Route handlers are called as Next calls them; only the session
 * is stubbed (next-auth needs a running Next server).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ROLES } from "~/core/roles";
import { db } from "~/server/db";
import { pngRgb } from "~/server/codecs/__tests__/test-images";
import { seedDataset } from "~/server/datasets/__tests__/ingest-fixtures";
import { routeDeclarationOf, type RouteHandler } from "~/server/http/project-route";
import { blobStore } from "~/server/storage";

const session = vi.hoisted(() => ({ userId: null as string | null, lookups: 0 }));
vi.mock("~/server/auth", () => ({
  auth: async () => {
    session.lookups += 1;
    return session.userId
      ? { user: { id: session.userId, email: "someone@example.test" }, expires: "2999-01-01T00:00:00.000Z" }
      : null;
  },
}));

beforeEach(() => {
  session.userId = null;
  session.lookups = 0;
});

const API_ROOT = path.join(process.cwd(), "src/app/api");
/** Next-auth's and tRPC's handlers come from their libraries and have their own checks. */
const LIBRARY_ROUTES = [path.join(API_ROOT, "auth"), path.join(API_ROOT, "trpc")];
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((entry) => path.join(folder, entry))
    .filter((file) => /\.tsx?$/.test(file));
}

const routeFiles = filesUnder(API_ROOT).filter(
  (file) => path.basename(file) === "route.ts" && !LIBRARY_ROUTES.some((root) => file.startsWith(root + path.sep)),
);

type RouteExport = { file: string; method: string; handler: RouteHandler };

async function routeExports(): Promise<RouteExport[]> {
  const found: RouteExport[] = [];
  for (const file of routeFiles) {
    const routeModule = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (routeModule[method] !== undefined) found.push({ file, method, handler: routeModule[method] as RouteHandler });
    }
  }
  return found;
}

const noParams = { params: Promise.resolve({}) };

describe("route handlers under src/app/api", () => {
  it("are all made by projectRoute and declare who may call them", async () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(7);
    const routes = await routeExports();
    expect(routes.length).toBeGreaterThanOrEqual(routeFiles.length);
    for (const { file, method, handler } of routes) {
      const declaration = routeDeclarationOf(handler);
      expect(declaration, `${method} in ${path.relative(API_ROOT, file)}`).toBeDefined();
      expect([...ROLES, "share-token"]).toContain(declaration?.minimum);
      if (STATE_CHANGING.has(method)) {
        expect(
          declaration?.contentType,
          `${method} in ${path.relative(API_ROOT, file)} needs a content type`,
        ).toBeDefined();
      }
    }
  });

  it("import neither the database nor the blob store (services do)", () => {
    for (const file of filesUnder(API_ROOT)) {
      const source = readFileSync(file, "utf8");
      expect(source, path.relative(API_ROOT, file)).not.toMatch(/from\s+["']~\/server\/(db|storage)(\/[^"']*)?["']/);
      expect(source, path.relative(API_ROOT, file)).not.toMatch(/\bblobStore\s*\(/);
    }
  });

  it("refuse a state-changing request from another origin with 403, before any work", async () => {
    const writes = (await routeExports()).filter(({ method }) => STATE_CHANGING.has(method));
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const { file, method, handler } of writes) {
      const contentType = routeDeclarationOf(handler)?.contentType ?? "application/json";
      const crossSite: Record<string, string>[] = [
        { origin: "https://evil.example", "content-type": contentType },
        { origin: "null", "content-type": contentType },
        { "sec-fetch-site": "cross-site", "content-type": contentType },
        { "sec-fetch-site": "same-site", "content-type": contentType },
      ];
      for (const headers of crossSite) {
        const response = await handler(
          new Request("http://localhost/api/x", { method, headers, body: "{}" }),
          noParams,
        );
        expect(response.status, `${method} ${path.relative(API_ROOT, file)} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    expect(session.lookups).toBe(0);
  });

  it("refuse a state-changing request with another content type with 415, before any work", async () => {
    const writes = (await routeExports()).filter(({ method }) => STATE_CHANGING.has(method));
    for (const { file, method, handler } of writes) {
      const wrongType: Record<string, string>[] = [
        { origin: "http://localhost", "content-type": "text/plain" },
        { "sec-fetch-site": "same-origin", "content-type": "text/plain;charset=UTF-8" },
        {}, // no content type at all (a byte body gets none by default)
      ];
      for (const headers of wrongType) {
        const response = await handler(
          new Request("http://localhost/api/x", { method, headers, body: new TextEncoder().encode("{}") }),
          noParams,
        );
        expect(response.status, `${method} ${path.relative(API_ROOT, file)}`).toBe(415);
        expect(await response.json()).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
      }
    }
    expect(session.lookups).toBe(0);
  });

  it("let same-origin writes through to the usual checks (here: 401 without a session)", async () => {
    const { POST } = await import("~/app/api/projects/[projectId]/exports/jobs/route");
    const sameOrigin: Record<string, string>[] = [
      { origin: "http://localhost:3000" },
      // Behind a proxy request.url names the internal address; the browser's Host counts.
      { origin: "https://ccc.example", host: "ccc.example" },
      { origin: "https://ccc.example", "x-forwarded-host": "ccc.example" },
      { "sec-fetch-site": "same-origin" },
      {}, // neither header: not a browser, so no victim's cookies
    ];
    for (const headers of sameOrigin) {
      const response = await POST(
        new Request("http://localhost:3000/api/x", {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: "{}",
        }),
        { params: Promise.resolve({ projectId: "some-project" }) },
      );
      expect(response.status, JSON.stringify(headers)).toBe(401);
    }
  });
});

describe("serveBlob through GET /api/images/:imageId/:variant", () => {
  async function storedImage() {
    const { POST } = await import("~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route");
    const seeded = await seedDataset(db, "EDITOR");
    session.userId = seeded.user.id;
    const png = await pngRgb(40, 30, 77);
    const form = new FormData();
    form.append("files", new Blob([new Uint8Array(png)]), "etag.png");
    const uploaded = await POST(new Request("http://localhost/upload", { method: "POST", body: form }), {
      params: Promise.resolve({ projectId: seeded.project.id, datasetId: seeded.dataset.id }),
    });
    const { results } = (await uploaded.json()) as { results: { imageId?: string }[] };
    return { png, imageId: results[0]?.imageId ?? "" };
  }

  async function imageRequest(imageId: string, variant: string, headers: Record<string, string> = {}) {
    const { GET } = await import("~/app/api/images/[imageId]/[variant]/route");
    return GET(new Request(`http://localhost/api/images/${imageId}/${variant}`, { headers }), {
      params: Promise.resolve({ imageId, variant }),
    });
  }

  it("answers a matching If-None-Match with 304 without reading the blob", async () => {
    const { imageId } = await storedImage();
    const first = await imageRequest(imageId, "thumbnail");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    await first.arrayBuffer();

    // With the blob gone, only an answer that never reads it can still succeed.
    const image = await db.image.findUniqueOrThrow({
      where: { id: imageId },
      select: { thumbnailKey: true },
    });
    await blobStore().delete(image.thumbnailKey);
    const revalidated = await imageRequest(imageId, "thumbnail", { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(await revalidated.text()).toBe("");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await imageRequest(imageId, "thumbnail", { "if-none-match": '"other"' })).status).toBe(500);
  });

  it("serves one byte range of an original (its size is known)", async () => {
    const { png, imageId } = await storedImage();
    const whole = await imageRequest(imageId, "original");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const etag = whole.headers.get("etag") ?? "";
    await whole.arrayBuffer();

    const cases = [
      { range: "bytes=0-9", start: 0, end: 9 },
      { range: "bytes=10-", start: 10, end: png.length - 1 },
      { range: "bytes=-5", start: png.length - 5, end: png.length - 1 },
      { range: `bytes=3-${png.length + 100}`, start: 3, end: png.length - 1 },
    ];
    for (const { range, start, end } of cases) {
      const response = await imageRequest(imageId, "original", { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${png.length}`);
      expect(response.headers.get("content-length")).toBe(String(end - start + 1));
      expect(Buffer.from(await response.arrayBuffer()).equals(png.subarray(start, end + 1)), range).toBe(true);
    }

    const beyond = await imageRequest(imageId, "original", { range: `bytes=${png.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${png.length}`);
    // If-Range naming other bytes, or several ranges: the whole file.
    const wholeFile: Record<string, string>[] = [
      { range: "bytes=0-9", "if-range": '"other"' },
      { range: "bytes=0-1,4-5" },
    ];
    for (const headers of wholeFile) {
      const response = await imageRequest(imageId, "original", headers);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    }
    expect((await imageRequest(imageId, "original", { range: "bytes=0-9", "if-range": etag })).status).toBe(206);
  });
});
