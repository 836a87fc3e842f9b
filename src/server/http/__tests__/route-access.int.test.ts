/**
 * Every route handler under src/app/api (next-auth's and tRPC's aside), every exported method,
 * called as Next calls it (only the session is stubbed) by everyone who must not reach it:
 * anonymous callers (401; share routes: 404), outsiders (404), each role below the declared
 * minimum (403 or 404), and members of project A with ids of project B (404, and no row of B
 * changes). A control call with A's own ids by the minimum role shows each request is well formed
 * (same-origin headers, the declared content type), so the refusals come from the checks. The
 * route files are enumerated: a route module or method without an entry in ROUTES fails here.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ROLES, roleAtLeast, type Role } from "~/core/roles";
import { pngRgb } from "~/server/codecs/__tests__/test-images";
import { db } from "~/server/db";
import { routeDeclarationOf, type RouteHandler } from "~/server/http/project-route";
import { signedIn } from "../../../../tests/helpers/signed-in-user";
import { seedTwoProjects, snapshotProject, type TwoProjects } from "../../../../tests/helpers/two-projects";

vi.mock("~/server/auth", () => import("../../../../tests/helpers/signed-in-user"));

const API_ROOT = path.join(process.cwd(), "src/app/api");
const LIBRARY_ROUTES = ["auth", "trpc"];
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

const routeFiles = readdirSync(API_ROOT, { recursive: true, encoding: "utf8" })
  .filter((entry) => path.basename(entry) === "route.ts")
  .map((entry) => path.dirname(entry).split(path.sep).join("/"))
  .filter((route) => !LIBRARY_ROUTES.includes(route.split("/")[0]!))
  .sort();

/** One request: the route's params, its query string, and a fresh body (with its headers). */
type Call = { params: Record<string, string>; query?: string; body?: () => Body | Promise<Body> };
type Body = { body: BodyInit; headers: HeadersInit };
type RouteCase = {
  /** A's own objects: must get past every check (the control). */
  valid: (t: TwoProjects) => Call;
  validStatus: number[];
  /** Calls by A's members naming B's objects (or B's project): each must answer 404. */
  foreign: (t: TwoProjects) => Call[];
  /** Further calls by A's members naming B's objects that may succeed on A's data but must leave B alone. */
  harmless?: (t: TwoProjects) => Call[];
};

const json = (value: unknown) => () => ({
  body: JSON.stringify(value),
  headers: { "content-type": "application/json" },
});

let pngSeed = 1;
const pngUpload = () => async () => {
  const form = new FormData();
  form.append("files", new Blob([new Uint8Array(await pngRgb(20, 10, pngSeed++))]), `upload-${pngSeed}.png`);
  return form;
};

const EXPORT_KINDS = ["results.csv", "annotations.coco.json", "overlays.zip", "objects.csv", "objects.coco.json"];
const EMPTY_COCO = { images: [], categories: [], annotations: [] };

const ROUTES: Record<string, Partial<Record<Method, RouteCase>>> = {
  "analyses/[analysisId]/maps/[map]": {
    GET: {
      valid: ({ a }) => ({ params: { analysisId: a.analysis.id, map: "segmentation" } }),
      validStatus: [200],
      foreign: ({ b }) => [
        { params: { analysisId: b.analysis.id, map: "segmentation" } },
        { params: { analysisId: b.analysis.id, map: "grey" } },
      ],
    },
  },
  "object-sets/[objectSetId]/labels": {
    GET: {
      valid: ({ a }) => ({ params: { objectSetId: a.objectSet.id } }),
      validStatus: [200],
      foreign: ({ b }) => [{ params: { objectSetId: b.objectSet.id } }],
    },
  },
  "images/[imageId]/[variant]": {
    GET: {
      valid: ({ a }) => ({ params: { imageId: a.image.id, variant: "thumbnail" } }),
      validStatus: [200],
      foreign: ({ b }) =>
        ["original", "thumbnail", "display", "samples"].map((variant) => ({
          params: { imageId: b.image.id, variant },
        })),
    },
  },
  "projects/[projectId]/datasets/[datasetId]/upload": {
    POST: {
      valid: ({ a }) => ({ params: { projectId: a.project.id, datasetId: a.dataset.id }, body: multipart() }),
      validStatus: [200],
      foreign: ({ a, b }) => [
        { params: { projectId: a.project.id, datasetId: b.dataset.id }, body: multipart() },
        { params: { projectId: b.project.id, datasetId: b.dataset.id }, body: multipart() },
        { params: { projectId: b.project.id, datasetId: a.dataset.id }, body: multipart() },
      ],
    },
  },
  "projects/[projectId]/exports/[kind]": {
    GET: {
      valid: ({ a }) => ({ params: { projectId: a.project.id, kind: "annotations.coco.json" } }),
      validStatus: [200],
      foreign: ({ a, b }) =>
        EXPORT_KINDS.flatMap((kind) => [
          { params: { projectId: a.project.id, kind }, query: `datasetId=${b.dataset.id}` },
          { params: { projectId: b.project.id, kind } },
          { params: { projectId: b.project.id, kind }, query: `datasetId=${a.dataset.id}` },
        ]),
    },
    POST: {
      valid: ({ a }) => ({
        params: { projectId: a.project.id, kind: "annotations.coco.json" },
        query: `datasetId=${a.dataset.id}`,
        body: json(EMPTY_COCO),
      }),
      // 202: the import runs as a job (200: the same file's import is already queued).
      validStatus: [200, 202],
      foreign: ({ a, b }) => [
        {
          params: { projectId: a.project.id, kind: "annotations.coco.json" },
          query: `datasetId=${b.dataset.id}`,
          body: json(cocoNaming(b)),
        },
        { params: { projectId: b.project.id, kind: "annotations.coco.json" }, body: json(cocoNaming(b)) },
      ],
      // A's project, a document naming B's image (by sha256 and name) and label class: only A may change.
      harmless: ({ a, b }) => [
        { params: { projectId: a.project.id, kind: "annotations.coco.json" }, body: json(cocoNaming(b)) },
        {
          params: { projectId: a.project.id, kind: "annotations.coco.json" },
          query: `datasetId=${a.dataset.id}`,
          body: json(cocoNaming(b)),
        },
      ],
    },
  },
  "projects/[projectId]/exports/jobs": {
    POST: {
      valid: ({ a }) => ({ params: { projectId: a.project.id }, body: json({ kind: "overlays.zip" }) }),
      validStatus: [200, 202],
      foreign: ({ a, b }) => [
        { params: { projectId: a.project.id }, body: json({ kind: "overlays.zip", datasetId: b.dataset.id }) },
        { params: { projectId: b.project.id }, body: json({ kind: "overlays.zip" }) },
      ],
    },
  },
  "projects/[projectId]/exports/jobs/[jobRunId]": {
    GET: {
      valid: ({ a }) => ({ params: { projectId: a.project.id, jobRunId: a.exportJob.id } }),
      validStatus: [200],
      foreign: ({ a, b }) => [
        { params: { projectId: a.project.id, jobRunId: b.exportJob.id } },
        { params: { projectId: b.project.id, jobRunId: b.exportJob.id } },
        { params: { projectId: b.project.id, jobRunId: a.exportJob.id } },
      ],
    },
  },
  "share/[token]/images/[imageId]/[variant]": {
    GET: {
      valid: ({ a }) => ({ params: { token: a.shareLink.token, imageId: a.image.id, variant: "thumbnail" } }),
      validStatus: [200],
      foreign: ({ a, b }) =>
        ["display", "thumbnail", "samples"].map((variant) => ({
          params: { token: a.shareLink.token, imageId: b.image.id, variant },
        })),
    },
  },
  "share/[token]/images/[imageId]/overlays/[map]": {
    GET: {
      valid: ({ a }) => ({ params: { token: a.shareLink.token, imageId: a.image.id, map: "segmentation" } }),
      validStatus: [200],
      foreign: ({ a, b }) =>
        ["segmentation", "contrast", "cam"].map((map) => ({
          params: { token: a.shareLink.token, imageId: b.image.id, map },
        })),
    },
  },
};

function multipart() {
  const make = pngUpload();
  return async () => ({ body: await make(), headers: {} });
}

function cocoNaming(b: TwoProjects["b"]) {
  return {
    images: [
      {
        id: 1,
        file_name: b.image.fileName,
        width: b.image.width,
        height: b.image.height,
        visual_ccc: { sha256: b.image.sha256 },
      },
    ],
    categories: [{ id: 1, name: b.labelClass.name }],
    annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 5, 5] }],
  };
}

async function request(handler: RouteHandler, method: Method, route: string, call: Call): Promise<number> {
  let urlPath = `/api/${route}`;
  for (const [name, value] of Object.entries(call.params)) urlPath = urlPath.replace(`[${name}]`, value);
  const url = `http://localhost${urlPath}${call.query ? `?${call.query}` : ""}`;
  const made = call.body ? await call.body() : undefined;
  const headers = new Headers(made?.headers);
  if (method !== "GET" && method !== "HEAD") headers.set("origin", "http://localhost");
  const response = await handler(new Request(url, { method, headers, body: made?.body }), {
    params: Promise.resolve(call.params),
  });
  await response.arrayBuffer(); // streamed bodies run to the end
  return response.status;
}

type RouteExport = { route: string; method: Method; handler: RouteHandler };

async function routeExports(): Promise<RouteExport[]> {
  const found: RouteExport[] = [];
  for (const route of routeFiles) {
    const routeModule = (await import(path.join(API_ROOT, route, "route.ts"))) as Record<string, unknown>;
    for (const method of METHODS) {
      if (routeModule[method] !== undefined)
        found.push({ route, method, handler: routeModule[method] as RouteHandler });
    }
  }
  return found;
}

const allRoutes = await routeExports();

let t: TwoProjects;

beforeEach(async () => {
  signedIn.userId = null;
  t = await seedTwoProjects(db);
});

describe("route handlers: who may call them", () => {
  it("has an entry for every route module and method (and no stale ones)", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(8);
    expect(routeFiles).toEqual(expect.arrayContaining(Object.keys(ROUTES)));
    const exported = allRoutes.map(({ route, method }) => `${method} ${route}`).sort();
    const covered = Object.entries(ROUTES)
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method} ${route}`))
      .sort();
    expect(exported).toEqual(covered);
  });

  it.each(allRoutes.map((r) => [`${r.method} /api/${r.route}`, r] as const))(
    "%s refuses everyone below its declaration",
    async (_name, { route, method, handler }) => {
      const routeCase = ROUTES[route]?.[method];
      expect(routeCase, `no entry in ROUTES for ${method} ${route}`).toBeDefined();
      if (!routeCase) return;
      const minimum = routeDeclarationOf(handler)?.minimum;
      expect(minimum).toBeDefined();
      const failures: string[] = [];
      const expectStatus = async (who: string, call: Call, allowed: number[]) => {
        const status = await request(handler, method, route, call);
        if (!allowed.includes(status))
          failures.push(`${who} ${JSON.stringify(call.params)} ${call.query ?? ""}: ${status}`);
      };

      if (minimum === "share-token") {
        const valid = routeCase.valid(t);
        // Anyone (signed in or not) with a token that opens nothing gets 404.
        await expectStatus(
          "anonymous, unknown token",
          { ...valid, params: { ...valid.params, token: "no-such-token" } },
          [404],
        );
        await expectStatus(
          "anonymous, B's token for A's image",
          { ...valid, params: { ...valid.params, token: t.b.shareLink.token } },
          [404],
        );
        signedIn.userId = t.a.users.OWNER.id;
        await expectStatus(
          "A's owner, unknown token",
          { ...valid, params: { ...valid.params, token: "no-such-token" } },
          [404],
        );
        signedIn.userId = null;
        await expectStatus("anonymous, valid token (control)", valid, routeCase.validStatus);
        for (const user of [null, t.a.users.OWNER.id]) {
          signedIn.userId = user;
          for (const call of routeCase.foreign(t))
            await expectStatus(`${user ? "A's owner" : "anonymous"}, A's token, B's ids`, call, [404]);
        }
        // A revoked link opens nothing any more.
        await db.shareLink.update({ where: { id: t.a.shareLink.id }, data: { revokedAt: new Date() } });
        signedIn.userId = null;
        await expectStatus("anonymous, revoked token", valid, [404]);
        expect(failures).toEqual([]);
        return;
      }

      const required = minimum as Role;
      const valid = routeCase.valid(t);
      signedIn.userId = null;
      await expectStatus("anonymous", valid, [401]);
      signedIn.userId = t.outsider.id;
      await expectStatus("outsider", valid, [404]);
      signedIn.userId = t.b.owner.id;
      await expectStatus("B's owner on A's ids", valid, [404]);
      for (const role of ROLES.filter((r) => !roleAtLeast(r, required))) {
        signedIn.userId = t.a.users[role].id;
        await expectStatus(role, valid, [403, 404]);
      }
      // The control: the minimum role with A's own ids gets through.
      signedIn.userId = t.a.users[required].id;
      await expectStatus(`${required} (control)`, valid, routeCase.validStatus);

      for (const role of [...new Set<Role>([required, "OWNER"])]) {
        signedIn.userId = t.a.users[role].id;
        for (const call of routeCase.foreign(t)) {
          const before = await snapshotProject(db, t.b.project.id);
          await expectStatus(`${role} of A with B's ids`, call, [404]);
          if ((await snapshotProject(db, t.b.project.id)) !== before)
            failures.push(`${role} ${JSON.stringify(call.params)}: changed project B`);
        }
        for (const call of routeCase.harmless?.(t) ?? []) {
          const before = await snapshotProject(db, t.b.project.id);
          const status = await request(handler, method, route, call);
          if (status >= 500) failures.push(`${role} ${JSON.stringify(call.params)}: ${status}`);
          if ((await snapshotProject(db, t.b.project.id)) !== before)
            failures.push(`${role} ${JSON.stringify(call.params)}: changed project B`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
