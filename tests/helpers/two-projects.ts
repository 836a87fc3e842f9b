/**
 * Two projects for the confused-deputy tests: A, whose members make the calls, and B, which holds
 * one object of every kind (dataset, image with real blobs, label, region, label class, analysis
 * with maps, object set with its label map, model version, job runs, share link, invitation, a member of B only). A has the same
 * kinds of its own (and enough labelled images to retrain), so an input can mix A's ids with
 * B's. `snapshotProject` reads every row of a project, to show that nothing in B changed.
 */
import { randomBytes } from "node:crypto";
import { ROLES, type Role } from "~/core/roles";
import type { Db } from "~/server/db";
import { createInvitation } from "~/server/invitations/create-invitation";
import { createShareLink } from "~/server/sharing/create-share-link";
import { SHAREABLE_OVERLAYS } from "~/server/sharing/share-scope";
import { blobStore } from "~/server/storage";
import { seedAnalysis, seedStoredImage } from "~/server/sharing/__tests__/collaboration-fixtures";
import { seedObjectSet } from "~/server/objects/__tests__/object-fixtures";
import { seedProject, seedUser } from "./seed";

export const SQUARE = {
  schemaVersion: 1 as const,
  kind: "polygon" as const,
  points: [
    [0, 0],
    [10, 0],
    [10, 10],
  ] as [number, number][],
};

async function seedObjects(db: Db, projectId: string, actorId: string) {
  const suffix = randomBytes(3).toString("hex");
  const dataset = await db.dataset.create({ data: { projectId, name: `dataset-${suffix}` } });
  const image = await seedStoredImage(db, { projectId, datasetId: dataset.id });
  const labelClass = await db.labelClass.create({ data: { projectId, name: `class-${suffix}`, color: "#112233" } });
  await db.imageLabel.create({ data: { imageId: image.id, labelClassId: labelClass.id, authorId: actorId } });
  // A condition tag, so that changing or removing B's tags shows in B's snapshot.
  await db.imageTag.create({
    data: { projectId, imageId: image.id, key: "capacity", numberValue: 6, unit: "mAh", source: "path" },
  });
  const region = await db.region.create({
    data: { imageId: image.id, labelClassId: labelClass.id, geometry: SQUARE, authorId: actorId },
  });
  const analysis = await seedAnalysis(db, { imageId: image.id });
  const objectSet = await seedObjectSet(db, { projectId, imageId: image.id });
  const modelVersion = await db.modelVersion.create({
    data: {
      projectId,
      name: `version-${suffix}`,
      backboneFile: "x.onnx",
      backboneSha256: "0".repeat(64),
      classes: ["a", "b"],
      createdById: actorId,
    },
  });
  const runningJob = await db.jobRun.create({
    data: {
      projectId,
      type: "analyse-dataset",
      status: "RUNNING",
      progressTotal: 1,
      payload: { datasetId: dataset.id },
      createdById: actorId,
    },
  });
  const failedJob = await db.jobRun.create({
    data: {
      projectId,
      type: "analyse-dataset",
      status: "FAILED",
      progressTotal: 1,
      progressDone: 1,
      failedCount: 1,
      failures: [{ imageId: image.id, fileName: image.fileName, message: "boom" }],
      payload: { datasetId: dataset.id },
      createdById: actorId,
      finishedAt: new Date(),
    },
  });
  const zip = await blobStore().put(Buffer.from(`PK-export-${suffix}`));
  const exportJob = await db.jobRun.create({
    data: {
      projectId,
      type: "export",
      status: "SUCCEEDED",
      payload: {
        kind: "overlays.zip",
        phase: "done",
        blobKey: zip.key,
        fileName: `export-${suffix}.zip`,
        bytes: zip.size,
      },
      createdById: actorId,
      finishedAt: new Date(),
    },
  });
  const include = { overlays: [...SHAREABLE_OVERLAYS], annotations: true, prediction: true, metrics: true };
  const shareLink = await createShareLink({
    db,
    projectId,
    actorId,
    target: { kind: "dataset", datasetId: dataset.id },
    include,
    expiresInDays: null,
  });
  const invitation = await createInvitation({ db, projectId, actorId, role: "EDITOR", expiresInDays: 7 });
  const auditEvent = await db.auditEvent.findFirstOrThrow({ where: { projectId }, orderBy: { createdAt: "desc" } });
  return {
    dataset,
    image,
    labelClass,
    region,
    analysis,
    objectSet,
    modelVersion,
    runningJob,
    failedJob,
    exportJob,
    shareLink,
    invitation,
    auditEvent,
  };
}

/** Project A (one member per role, keyed by role) and project B (an owner and a viewer of B only). */
export async function seedTwoProjects(db: Db) {
  const a = await seedProject(db, Object.fromEntries(ROLES.map((role) => [role, role])));
  const b = await seedProject(db, { owner: "OWNER", viewer: "VIEWER" });
  const outsider = await seedUser(db, "outsider");
  const aObjects = await seedObjects(db, a.project.id, a.users.OWNER!.id);
  const bObjects = await seedObjects(db, b.project.id, b.users.owner!.id);

  // A can retrain: two classes with two labelled images each (so a retrain reaches its base version).
  const other = await db.labelClass.create({ data: { projectId: a.project.id, name: "other", color: "#445566" } });
  for (let i = 0; i < 3; i++) {
    const image = await seedStoredImage(db, { projectId: a.project.id, datasetId: aObjects.dataset.id });
    await db.imageLabel.create({
      data: { imageId: image.id, labelClassId: i === 0 ? aObjects.labelClass.id : other.id },
    });
  }
  return {
    a: { project: a.project, users: a.users as Record<Role, { id: string; email: string }>, ...aObjects },
    b: { project: b.project, owner: b.users.owner!, viewer: b.users.viewer!, ...bObjects },
    outsider,
  };
}

export type TwoProjects = Awaited<ReturnType<typeof seedTwoProjects>>;

/** Every row that belongs to the project, in a stable order, as JSON (what "nothing changed" compares). */
export async function snapshotProject(db: Db, projectId: string): Promise<string> {
  const byId = { orderBy: { id: "asc" as const } };
  const ofImages = { image: { projectId } };
  const rows = {
    project: await db.project.findUnique({ where: { id: projectId } }),
    memberships: await db.membership.findMany({ where: { projectId }, ...byId }),
    invitations: await db.invitation.findMany({ where: { projectId }, ...byId }),
    datasets: await db.dataset.findMany({ where: { projectId }, ...byId }),
    images: await db.image.findMany({ where: { projectId }, ...byId }),
    imageLabels: await db.imageLabel.findMany({ where: ofImages, ...byId }),
    regions: await db.region.findMany({ where: ofImages, ...byId }),
    imageTags: await db.imageTag.findMany({ where: { projectId }, ...byId }),
    analyses: await db.analysis.findMany({ where: ofImages, ...byId }),
    objectSets: await db.objectSet.findMany({ where: { projectId }, ...byId }),
    labelClasses: await db.labelClass.findMany({ where: { projectId }, ...byId }),
    modelVersions: await db.modelVersion.findMany({ where: { projectId }, ...byId }),
    jobRuns: await db.jobRun.findMany({ where: { projectId }, ...byId }),
    shareLinks: await db.shareLink.findMany({ where: { projectId }, ...byId }),
    auditEvents: await db.auditEvent.findMany({ where: { projectId }, ...byId }),
  };
  return JSON.stringify(rows);
}
