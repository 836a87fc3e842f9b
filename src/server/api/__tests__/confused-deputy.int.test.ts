/**
 * Confused deputy: every project-scoped procedure, called by a member of project A (with the
 * procedure's minimum role, and as OWNER) with ids of objects that belong to project B, must
 * refuse (NOT_FOUND, BAD_REQUEST or FORBIDDEN) and leave every row of B as it was. The router is
 * enumerated: a project-scoped procedure without an entry in INPUTS fails here, and so does an
 * entry that leaves one of the procedure's id fields without a B id.
 */
import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ROLES, type Role } from "~/core/roles";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { appRouter, createCaller } from "~/server/api/root";
import type { ProcedureMeta } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { sessionFor } from "../../../../tests/helpers/seed";
import { SQUARE, seedTwoProjects, snapshotProject, type TwoProjects } from "../../../../tests/helpers/two-projects";

type AnyProcedure = { _def: { meta?: ProcedureMeta; type: string; inputs: z.ZodType[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);
const projectScoped = procedures.filter(([, p]) => p._def.meta?.access.kind === "project");

type Ids = TwoProjects;
/** Inputs (without projectId, which is A's) naming B's objects; several variants mix A's and B's. */
type InputBuilder = (ids: Ids) => Record<string, unknown>[];
/** A procedure whose input names no object of the project (only A's project id reaches it). */
type NoObjectIds = { noObjectIds: string };

const INPUTS: Record<string, InputBuilder | NoObjectIds> = {
  "project.get": { noObjectIds: "reads the caller's project" },
  "project.update": { noObjectIds: "name and description only" },
  "project.delete": { noObjectIds: "the project itself" },
  "member.list": { noObjectIds: "lists the project's members" },
  "member.changeRole": ({ b }) => [
    { userId: b.viewer.id, role: "EDITOR" },
    { userId: b.owner.id, role: "VIEWER" },
  ],
  "member.remove": ({ b }) => [{ userId: b.viewer.id }, { userId: b.owner.id }],
  "member.leave": { noObjectIds: "the caller's own membership" },
  "dataset.list": { noObjectIds: "lists the project's datasets" },
  "dataset.create": { noObjectIds: "name and description only" },
  "dataset.delete": ({ b }) => [{ datasetId: b.dataset.id }],
  "dataset.images": ({ b }) => [{ datasetId: b.dataset.id }],
  "dataset.deleteImage": ({ b }) => [{ imageId: b.image.id }],
  "dataset.rename": ({ b }) => [{ datasetId: b.dataset.id, name: "renamed" }],
  "dataset.renameImage": ({ b }) => [{ imageId: b.image.id, fileName: "renamed.png" }],
  "dataset.moveImages": ({ a, b }) => [
    { imageIds: [b.image.id], datasetId: a.dataset.id },
    { imageIds: [a.image.id], datasetId: b.dataset.id },
    { imageIds: [a.image.id, b.image.id], datasetId: a.dataset.id },
  ],
  "dataset.deleteImages": ({ a, b }) => [{ imageIds: [b.image.id] }, { imageIds: [a.image.id, b.image.id] }],
  "dataset.deletionImpact": ({ a, b }) => [
    { target: { kind: "dataset", datasetId: b.dataset.id } },
    { target: { kind: "images", imageIds: [b.image.id] } },
    { target: { kind: "images", imageIds: [a.image.id, b.image.id] } },
    { target: { kind: "labelClass", labelClassId: b.labelClass.id } },
  ],
  "job.list": ({ b }) => [{ datasetId: b.dataset.id }],
  "job.get": ({ b }) => [{ jobRunId: b.runningJob.id }, { jobRunId: b.exportJob.id }],
  "job.watch": ({ b }) => [{ datasetId: b.dataset.id }],
  "job.startDatasetAnalysis": ({ b }) => [{ datasetId: b.dataset.id }],
  "job.cancel": ({ b }) => [{ jobRunId: b.runningJob.id }],
  "job.retryFailed": ({ b }) => [{ jobRunId: b.failedJob.id }],
  "labelClass.list": { noObjectIds: "lists the project's label classes" },
  "labelClass.save": ({ b }) => [{ labelClassId: b.labelClass.id, name: "renamed", color: "#abcdef" }],
  "labelClass.delete": ({ b }) => [{ labelClassId: b.labelClass.id }],
  "annotation.forImage": ({ b }) => [{ imageId: b.image.id }],
  "annotation.setImageLabels": ({ a, b }) => [
    { imageIds: [b.image.id], labelClassId: null },
    { imageIds: [b.image.id], labelClassId: b.labelClass.id },
    { imageIds: [b.image.id], labelClassId: a.labelClass.id },
    { imageIds: [a.image.id, b.image.id], labelClassId: a.labelClass.id },
    { imageIds: [a.image.id], labelClassId: b.labelClass.id },
  ],
  "annotation.createRegion": ({ a, b }) => [
    { imageId: b.image.id, labelClassId: null, geometry: SQUARE },
    { imageId: a.image.id, labelClassId: b.labelClass.id, geometry: SQUARE },
  ],
  "annotation.updateRegion": ({ a, b }) => [
    { regionId: b.region.id, expectedVersion: 1, geometry: SQUARE },
    { regionId: b.region.id, expectedVersion: 1, labelClassId: a.labelClass.id },
    { regionId: a.region.id, expectedVersion: 1, labelClassId: b.labelClass.id },
  ],
  "annotation.deleteRegion": ({ b }) => [{ regionId: b.region.id, expectedVersion: 1 }],
  "analysis.workspace": ({ b }) => [{ imageId: b.image.id }],
  "analysis.predictions": ({ b }) => [{ datasetId: b.dataset.id }],
  "analysis.run": ({ a, b }) => [
    { imageId: b.image.id, k: 3, model: null },
    { imageId: a.image.id, k: 3, model: `version:${b.modelVersion.id}` },
  ],
  "objects.forImage": ({ b }) => [{ imageId: b.image.id }, { imageId: b.image.id, params: { h: 3 } }],
  "objects.run": ({ b }) => [{ imageId: b.image.id }, { imageId: b.image.id, params: { minArea: 1 } }],
  "scale.set": ({ b }) => [
    { target: { kind: "image", imageId: b.image.id }, pixelSize: { value: 2.5, unit: "nm" } },
    { target: { kind: "dataset", datasetId: b.dataset.id }, pixelSize: { value: 1, unit: "µm" } },
    { target: { kind: "image", imageId: b.image.id }, pixelSize: null },
    { target: { kind: "dataset", datasetId: b.dataset.id }, pixelSize: null },
  ],
  "analysedArea.set": ({ b }) => [
    {
      target: { kind: "image", imageId: b.image.id },
      change: { kind: "set", area: { x: 0, y: 0, width: 1, height: 1 } },
    },
    { target: { kind: "image", imageId: b.image.id }, change: { kind: "clear" } },
    { target: { kind: "image", imageId: b.image.id }, change: { kind: "detect" } },
    { target: { kind: "dataset", datasetId: b.dataset.id }, change: { kind: "clear" } },
  ],
  "settings.get": { noObjectIds: "a version number of the caller's project" },
  "settings.list": { noObjectIds: "lists the project's settings versions" },
  "settings.save": ({ b }) => [
    { settings: { ...DEFAULT_ANALYSIS_SETTINGS, model: { kind: "version", modelVersionId: b.modelVersion.id } } },
  ],
  "results.table": ({ b }) => [{ datasetId: b.dataset.id }, { cursor: b.image.id, limit: 10 }],
  "results.objectDescriptors": ({ b }) => [{ datasetId: b.dataset.id, descriptor: "area" }],
  "sam2.models": { noObjectIds: "lists the SAM 2 models installed on the server" },
  "sam2.embedding": ({ b }) => [{ imageId: b.image.id }],
  "sam2.prepareImage": ({ b }) => [{ imageId: b.image.id }],
  "sam2.decode": ({ b }) => [{ imageId: b.image.id, prompt: { points: [{ x: 1, y: 1, label: 1 }] } }],
  "sam2.generateImage": ({ b }) => [{ imageId: b.image.id }],
  "sam2.startDataset": ({ b }) => [
    { datasetId: b.dataset.id, task: "embed" },
    { datasetId: b.dataset.id, task: "generate" },
  ],
  "sam2.objectSet": ({ b }) => [{ imageId: b.image.id }],
  "modelVersion.list": { noObjectIds: "lists built-in models and the project's versions" },
  "modelVersion.get": ({ b }) => [{ modelVersionId: b.modelVersion.id }],
  "modelVersion.trainingSet": ({ b }) => [{ datasetId: b.dataset.id }],
  "modelVersion.confusionCellImages": ({ b }) => [
    { modelVersionId: b.modelVersion.id, actualClass: "a", predictedClass: "b" },
  ],
  "modelVersion.leastConfidentImages": ({ b }) => [{ datasetId: b.dataset.id }],
  "modelVersion.retrain": ({ a, b }) => [
    { baseVersionId: b.modelVersion.id },
    { datasetId: b.dataset.id },
    { baseVersionId: b.modelVersion.id, datasetId: a.dataset.id },
  ],
  "modelVersion.delete": ({ b }) => [{ modelVersionId: b.modelVersion.id }],
  "invitation.list": { noObjectIds: "lists the project's invitations" },
  "invitation.create": { noObjectIds: "a role, a lifetime and optionally an e-mail address" },
  "invitation.revoke": ({ b }) => [{ invitationId: b.invitation.id }],
  "share.list": { noObjectIds: "lists the project's share links" },
  "share.create": ({ b }) => [
    { target: { kind: "dataset", datasetId: b.dataset.id }, include: NO_EXTRAS, expiresInDays: 7 },
    { target: { kind: "image", imageId: b.image.id }, include: NO_EXTRAS, expiresInDays: null },
  ],
  "share.revoke": ({ b }) => [{ shareLinkId: b.shareLink.id }],
  "activity.list": ({ b }) => [{ cursor: b.auditEvent.id, limit: 30 }],
  "activity.live": ({ b }) => [{ datasetId: b.dataset.id }, { imageId: b.image.id }],
  "presence.image": ({ b }) => [{ imageId: b.image.id }],
  "conditions.forDataset": ({ b }) => [{ datasetId: b.dataset.id }],
  "conditions.keys": { noObjectIds: "lists the project's condition keys" },
  "conditions.set": ({ a, b }) => [
    { imageIds: [b.image.id], set: [{ key: "capacity", value: 8, unit: "mAh" }] },
    { imageIds: [b.image.id], remove: ["capacity"] },
    { imageIds: [a.image.id, b.image.id], set: [{ key: "cycles", value: 1, unit: null }] },
  ],
};

const NO_EXTRAS = { overlays: [], annotations: false, prediction: false, metrics: false };

/** Input fields that name an object (and so must be given a B id by the entry). */
const OBJECT_FIELD = /(Id|Ids|cursor|target|model)$/;

/** Fields that match OBJECT_FIELD but name something server-wide, not an object of a project. */
const SERVER_WIDE_FIELDS: Record<string, string[]> = {
  // The name of a SAM 2 model installed on the server (models/sam2/<name>), shared by all projects.
  "sam2.embedding": ["model"],
  "sam2.prepareImage": ["model"],
  "sam2.decode": ["model"],
  "sam2.generateImage": ["model"],
  "sam2.startDataset": ["model"],
  "sam2.objectSet": ["model"],
};

const REFUSED = ["NOT_FOUND", "BAD_REQUEST", "FORBIDDEN"];

const APP_TO_TRPC: Record<string, string> = { BAD_INPUT: "BAD_REQUEST", TOO_LARGE: "PAYLOAD_TOO_LARGE" };

function codeOf(error: unknown): string {
  if (error instanceof TRPCError) return error.code;
  if (error instanceof AppError) return APP_TO_TRPC[error.code] ?? error.code;
  throw error;
}

function inputFields(procedure: AnyProcedure): string[] {
  return procedure._def.inputs.flatMap((parser) => Object.keys((parser as { shape?: object }).shape ?? {}));
}

function idsOf(value: unknown): string[] {
  if (typeof value === "string") return [value.replace(/^version:/, "")];
  if (Array.isArray(value)) return value.flatMap(idsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(idsOf);
  return [];
}

/**
 * Calls the procedure; "OK" (with what it answered) or the error code. A subscription counts as
 * accepted when it yields (or still listens after a moment); its refusal may come on the first read.
 */
async function outcome(
  caller: ReturnType<typeof createCaller>,
  path: string,
  input: unknown,
): Promise<{ code: string; value?: unknown }> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  let value: unknown;
  try {
    value = await (target as (input: unknown) => Promise<unknown>)(input);
  } catch (error) {
    return { code: codeOf(error) };
  }
  if (value && typeof value === "object" && Symbol.asyncIterator in value) {
    const iterator = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    try {
      const first = await Promise.race([
        iterator.next(),
        new Promise<"listening">((resolve) => setTimeout(() => resolve("listening"), 1500)),
      ]);
      return { code: "OK", value: first === "listening" ? "(subscription still listening)" : first.value };
    } catch (error) {
      return { code: codeOf(error) };
    }
  }
  return { code: "OK", value };
}

let ids: Ids;
const bIds = new Set<string>();

// Fresh projects for every test: a procedure that wrongly deleted one of B's objects must not
// make the next procedure's NOT_FOUND come for free.
beforeEach(async () => {
  ids = await seedTwoProjects(db);
  bIds.clear();
  const { b } = ids;
  for (const object of [
    b.project,
    b.owner,
    b.viewer,
    b.dataset,
    b.image,
    b.labelClass,
    b.region,
    b.analysis,
    b.objectSet,
    b.modelVersion,
    b.runningJob,
    b.failedJob,
    b.exportJob,
    b.shareLink,
    b.invitation,
    b.auditEvent,
  ])
    bIds.add(object.id);
});

describe("confused deputy: A's members with B's ids", () => {
  it("has an entry for every project-scoped procedure (and no stale ones)", () => {
    expect(projectScoped.length).toBeGreaterThan(30);
    const missing = projectScoped.map(([path]) => path).filter((path) => !(path in INPUTS));
    expect(missing, "project-scoped procedures without an entry in INPUTS").toEqual([]);
    const stale = Object.keys(INPUTS).filter((path) => !projectScoped.some(([p]) => p === path));
    expect(stale, "entries for procedures that are not project-scoped (any more)").toEqual([]);
  });

  it.each(projectScoped)("%s: entry matches the input schema", (path, procedure) => {
    const entry = INPUTS[path];
    if (!entry) return; // reported above
    const objectFields = inputFields(procedure).filter(
      (field) => field !== "projectId" && OBJECT_FIELD.test(field) && !SERVER_WIDE_FIELDS[path]?.includes(field),
    );
    if (typeof entry !== "function") {
      expect(objectFields, `${path} is marked noObjectIds but takes object fields`).toEqual([]);
      return;
    }
    const inputs = entry(ids);
    expect(inputs.length).toBeGreaterThan(0);
    for (const field of objectFields) {
      expect(
        inputs.some((input) => idsOf(input[field]).some((id) => bIds.has(id))),
        `${path}: no input gives ${field} an id of project B`,
      ).toBe(true);
    }
    // Every input passes the procedure's own schema, so a refusal is the service's, not zod's.
    for (const input of inputs) {
      for (const parser of procedure._def.inputs) {
        const parsed = parser.safeParse({ ...input, projectId: ids.a.project.id });
        expect(parsed.success, `${path} ${JSON.stringify(input)}: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  const withIds = projectScoped.filter(([path]) => typeof INPUTS[path] === "function");

  it.each(withIds)("%s refuses B's ids and changes nothing in B", async (path, procedure) => {
    const access = procedure._def.meta!.access as { kind: "project"; minimum: Role };
    const roles = [...new Set<Role>([access.minimum, "OWNER"])];
    const failures: string[] = [];
    for (const role of roles) {
      const user = ids.a.users[role];
      for (const input of (INPUTS[path] as InputBuilder)(ids)) {
        const controller = new AbortController();
        const caller = createCaller({ db, session: sessionFor(user) }, { signal: controller.signal });
        const before = await snapshotProject(db, ids.b.project.id);
        const result = await outcome(caller, path, { ...input, projectId: ids.a.project.id });
        controller.abort();
        const after = await snapshotProject(db, ids.b.project.id);
        const label = `${role} ${JSON.stringify(input)}`;
        if (!REFUSED.includes(result.code)) {
          const answered = JSON.stringify(result.value) ?? "undefined";
          const leaked = [...bIds].filter((id) => answered.includes(id));
          failures.push(
            `${label}: answered ${result.code}${leaked.length ? ` naming B's ids ${leaked.join(", ")}` : " (no B id in the answer)"}: ${answered.slice(0, 300)}`,
          );
        }
        if (after !== before) failures.push(`${label}: changed rows of project B`);
      }
    }
    expect(failures, path).toEqual([]);
  });
});

describe("roles of A", () => {
  it("cover every role", () => {
    expect(Object.keys(ids.a.users).sort()).toEqual([...ROLES].sort());
  });
});
