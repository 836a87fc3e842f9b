/**
 * Share links on a real database and real blobs: the token is the only key, it opens exactly its
 * scope (no image of another dataset or project, however its id is obtained), it stops working
 * when revoked or expired, it is stored hashed, and it grants no write procedure at all.
 */
import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { appRouter } from "~/server/api/root";
import type { ProcedureMeta } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { getSharedImage } from "../get-shared-image";
import { listSharedDataset } from "../list-shared-dataset";
import { generateSecretToken } from "../secret-token";
import { seedAnalysis, seedStoredImage } from "./collaboration-fixtures";

// Visitors of shared pages have no session; next-auth itself needs a running Next server.
vi.mock("~/server/auth", () => ({ auth: async () => null }));
const overlayRoute = await import("~/app/api/share/[token]/images/[imageId]/overlays/[map]/route");
const imageRoute = await import("~/app/api/share/[token]/images/[imageId]/[variant]/route");

const ALL = {
  overlays: ["segmentation", "contrast", "clusters", "cam"] as ("segmentation" | "contrast" | "clusters" | "cam")[],
  annotations: true,
  prediction: true,
  metrics: true,
};

async function setup() {
  const { project, users } = await seedProject(db, {
    owner: "OWNER",
    editor: "EDITOR",
    annotator: "ANNOTATOR",
  });
  const shared = await db.dataset.create({ data: { projectId: project.id, name: "shared" } });
  const privateSet = await db.dataset.create({ data: { projectId: project.id, name: "private" } });
  const inShared = await seedStoredImage(db, {
    projectId: project.id,
    datasetId: shared.id,
    fileName: "in.png",
  });
  const alsoShared = await seedStoredImage(db, {
    projectId: project.id,
    datasetId: shared.id,
    fileName: "also.png",
  });
  const inPrivate = await seedStoredImage(db, {
    projectId: project.id,
    datasetId: privateSet.id,
    fileName: "secret.png",
  });
  await seedAnalysis(db, { imageId: inShared.id });
  await seedAnalysis(db, { imageId: inPrivate.id });
  const other = await seedProject(db, { stranger: "OWNER" });
  const otherDataset = await db.dataset.create({ data: { projectId: other.project.id, name: "theirs" } });
  const foreign = await seedStoredImage(db, { projectId: other.project.id, datasetId: otherDataset.id });
  await seedAnalysis(db, { imageId: foreign.id });
  const editor = callerFor(db, users.editor!);
  return { project, users, shared, privateSet, inShared, alsoShared, inPrivate, foreign, editor };
}

const getImage = (token: string, imageId: string, variant = "display") =>
  imageRoute.GET(new Request(`http://test/api/share/${token}/images/${imageId}/${variant}`), {
    params: Promise.resolve({ token, imageId, variant }),
  });
const getOverlay = (token: string, imageId: string, map: string) =>
  overlayRoute.GET(new Request(`http://test/api/share/${token}/images/${imageId}/overlays/${map}`), {
    params: Promise.resolve({ token, imageId, map }),
  });

/** A link to the whole "shared" dataset with every part included. */
const shareDataset = (s: Awaited<ReturnType<typeof setup>>, expiresInDays: number, by = s.editor) =>
  by.share.create({
    projectId: s.project.id,
    target: { kind: "dataset", datasetId: s.shared.id },
    include: ALL,
    expiresInDays,
  });

describe("share links", () => {
  it("open the images of their dataset and nothing else, by any id", async () => {
    const s = await setup();
    const link = await shareDataset(s, 7);

    expect((await getImage(link.token, s.inShared.id)).status).toBe(200);
    expect((await getImage(link.token, s.alsoShared.id, "thumbnail")).status).toBe(200);
    const overlay = await getOverlay(link.token, s.inShared.id, "segmentation");
    expect(overlay.status).toBe(200);
    expect(overlay.headers.get("content-type")).toBe("image/png");

    // Same project, other dataset; other project; made-up id: all the same 404.
    for (const imageId of [s.inPrivate.id, s.foreign.id, "c".repeat(25)]) {
      expect((await getImage(link.token, imageId)).status).toBe(404);
      expect((await getImage(link.token, imageId, "thumbnail")).status).toBe(404);
      expect((await getOverlay(link.token, imageId, "segmentation")).status).toBe(404);
      await expect(getSharedImage({ db, token: link.token, imageId })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    // The "original" variant (full-resolution source file) is not served to links.
    expect((await getImage(link.token, s.inShared.id, "original")).status).toBe(404);

    const page = await listSharedDataset({ db, token: link.token });
    expect(page.images.map((i) => i.fileName).sort()).toEqual(["also.png", "in.png"]);
    expect(JSON.stringify(page)).not.toContain(s.inPrivate.id);
  });

  it("an image link opens one image and never the dataset around it", async () => {
    const s = await setup();
    const link = await s.editor.share.create({
      projectId: s.project.id,
      target: { kind: "image", imageId: s.inShared.id },
      include: { overlays: ["segmentation"], annotations: false, prediction: true, metrics: false },
      expiresInDays: null,
    });
    expect((await getImage(link.token, s.inShared.id)).status).toBe(200);
    expect((await getImage(link.token, s.alsoShared.id)).status).toBe(404);
    await expect(listSharedDataset({ db, token: link.token })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Only the chosen parts: one overlay, the prediction; no annotations, no metrics.
    const view = await getSharedImage({ db, token: link.token, imageId: s.inShared.id });
    expect(view.overlays.map((o) => o.name)).toEqual(["segmentation"]);
    expect(view.annotations).toBeNull();
    expect(view.metrics).toBeNull();
    expect(view.prediction?.className).toBe("dendritic");
    // The pixel size travels for the scale bar, in the unit it was given in.
    expect(view.image.pixelSize).toBeNull();
    await db.image.update({ where: { id: s.inShared.id }, data: { pixelSizeUm: 0.0025, pixelSizeUnit: "nm" } });
    const scaled = await getSharedImage({ db, token: link.token, imageId: s.inShared.id });
    expect(scaled.image.pixelSize).toEqual({ value: 2.5, unit: "nm" });
    expect((await getOverlay(link.token, s.inShared.id, "segmentation")).status).toBe(200);
    expect((await getOverlay(link.token, s.inShared.id, "cam")).status).toBe(404);
    expect((await getOverlay(link.token, s.inShared.id, "grey")).status).toBe(404);
    // No internal ids leak besides the image's own.
    const text = JSON.stringify(view);
    expect(text).not.toContain(s.project.id);
    expect(text).not.toContain(s.users.editor!.id);
  });

  it("stop working when revoked or expired, and are stored only as a sha256", async () => {
    const s = await setup();
    const link = await shareDataset(s, 1);
    const row = await db.shareLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(link.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(link.token);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await db.shareLink.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getImage(link.token, s.inShared.id)).status).toBe(404);
    await db.shareLink.update({ where: { id: link.id }, data: { expiresAt: null } });
    expect((await getImage(link.token, s.inShared.id)).status).toBe(200);

    await s.editor.share.revoke({ projectId: s.project.id, shareLinkId: link.id });
    expect((await getImage(link.token, s.inShared.id)).status).toBe(404);
    expect((await getOverlay(link.token, s.inShared.id, "segmentation")).status).toBe(404);
    await expect(listSharedDataset({ db, token: link.token })).rejects.toBeInstanceOf(AppError);
    expect((await s.editor.share.list({ projectId: s.project.id }))[0]?.active).toBe(false);

    // Random and malformed tokens answer exactly like a revoked one.
    expect((await getImage(generateSecretToken(), s.inShared.id)).status).toBe(404);
    expect((await getImage("../../etc", s.inShared.id)).status).toBe(404);
  });

  it("grant no write procedure: holding a token is being anonymous", async () => {
    const s = await setup();
    const link = await shareDataset(s, 7);
    const anonymous = callerFor(db, null);
    type AnyProcedure = { _def: { meta?: ProcedureMeta; type: string } };
    const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).filter(
      ([, p]) => p._def.type === "mutation",
    );
    expect(mutations.length).toBeGreaterThan(10);
    for (const [path, procedure] of mutations) {
      if (procedure._def.meta?.access.kind === "public") continue; // auth.signUp: creating an account
      let target: unknown = anonymous;
      for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
      const input = {
        projectId: s.project.id,
        token: link.token,
        datasetId: s.shared.id,
        imageIds: [s.inShared.id],
        imageId: s.inShared.id,
        labelClassId: null,
      };
      await expect((target as (i: unknown) => Promise<unknown>)(input), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    // The byte routes behind a token answer GET only.
    expect(Object.keys(imageRoute).filter((k) => /^(POST|PUT|PATCH|DELETE)$/.test(k))).toEqual([]);
    expect(Object.keys(overlayRoute).filter((k) => /^(POST|PUT|PATCH|DELETE)$/.test(k))).toEqual([]);
    // And the dataset is untouched.
    expect(await db.image.count({ where: { datasetId: s.shared.id } })).toBe(2);
  });

  it("are created by editors only, and only for the project's own targets", async () => {
    const s = await setup();
    const annotator = callerFor(db, s.users.annotator!);
    await expect(shareDataset(s, 7, annotator)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      s.editor.share.create({
        projectId: s.project.id,
        target: { kind: "image", imageId: s.foreign.id },
        include: ALL,
        expiresInDays: 7,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
