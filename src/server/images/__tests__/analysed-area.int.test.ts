/**
 * The analysed area on a real database, real sharp and the heavy-work pool: an uploaded PNG with
 * an instrument data bar gets the area above the bar; objects are segmented and measured only
 * there (coverage over the area, no object in the bar, the label map zero in the bar); setting,
 * clearing and detecting again through analysedArea.set, with refusals in plain words and the
 * change in the audit log.
 */
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { createRandom } from "~/core/analysis/random";
import { describeActivity } from "~/server/activity/describe-activity";
import { ingestFiles } from "~/server/datasets/ingest-files";
import { db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { callerFor, seedUser } from "../../../../tests/helpers/seed";
import { trpcRefusal as refusal } from "../../../../tests/helpers/trpc-error-code";
import { seedDataset } from "../../datasets/__tests__/ingest-fixtures";
import { labelsFromRgba } from "../../objects/object-set-labels";

afterAll(async () => {
  await closeHeavyWorkPool();
});

const WIDTH = 200;
const HEIGHT = 150;
const BAR = 20;
const RADIUS = 8;
const CENTRES: [row: number, col: number][] = [
  [30, 40],
  [35, 110],
  [90, 60],
  [95, 160],
];

/** Noisy dark background, four bright discs, and a black data bar with white "text" below. */
async function micrographWithDataBar(): Promise<Buffer> {
  const random = createRandom(7);
  const grey = Buffer.alloc(WIDTH * HEIGHT);
  for (let r = 0; r < HEIGHT; r++) {
    for (let c = 0; c < WIDTH; c++) {
      const inDisc = CENTRES.some(([r0, c0]) => (r - r0) ** 2 + (c - c0) ** 2 <= RADIUS * RADIUS);
      grey[r * WIDTH + c] = Math.round((inDisc ? 200 : 50) + (random() - 0.5) * 40);
    }
  }
  for (let r = HEIGHT - BAR; r < HEIGHT; r++) {
    for (let c = 0; c < WIDTH; c++) {
      const text = r - (HEIGHT - BAR) >= 5 && r - (HEIGHT - BAR) < 13 && c % 25 < 12 && c < 170;
      grey[r * WIDTH + c] = text ? 255 : 0;
    }
  }
  return sharp(grey, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .png()
    .toBuffer();
}

async function uploadWithBar() {
  const seeded = await seedDataset(db);
  const [stored] = await ingestFiles({
    db,
    blobs: blobStore(),
    projectId: seeded.project.id,
    datasetId: seeded.dataset.id,
    userId: seeded.user.id,
    files: [{ name: "with-bar.png", bytes: await micrographWithDataBar() }],
  });
  expect(stored).toMatchObject({ status: "stored" });
  return { ...seeded, imageId: stored!.imageId! };
}

describe("the analysed area of an uploaded image", () => {
  it("leaves the data bar out at upload, and objects are measured above it only", async () => {
    const { project, user, imageId } = await uploadWithBar();
    const image = await db.image.findUniqueOrThrow({ where: { id: imageId } });
    expect(image.analysedArea).toEqual({ x: 0, y: 0, width: WIDTH, height: HEIGHT - BAR, source: "detected" });

    const editor = callerFor(db, user);
    const set = await editor.objects.run({ projectId: project.id, imageId });
    expect(set.count).toBe(CENTRES.length);
    const discArea = set.objects.reduce((sum, o) => sum + Number(o.area), 0);
    expect(set.imageStats.coverage).toBeCloseTo(discArea / (WIDTH * (HEIGHT - BAR)), 9);
    expect(set.imageStats.analysedArea).toEqual({ x: 0, y: 0, width: WIDTH, height: HEIGHT - BAR });
    for (const object of set.objects) expect((object.centroid as number[])[0]).toBeLessThan(HEIGHT - BAR);

    const row = await db.objectSet.findUniqueOrThrow({ where: { id: set.id } });
    expect(row.analysedArea).toEqual({ x: 0, y: 0, width: WIDTH, height: HEIGHT - BAR });
    expect([row.width, row.height]).toEqual([WIDTH, HEIGHT]);
    const { data } = await sharp(await blobStore().get(row.labelMapKey))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const labels = labelsFromRgba(new Uint8Array(data));
    expect(labels.subarray((HEIGHT - BAR) * WIDTH).every((label) => label === 0)).toBe(true);
    // Labels sit where the discs are (the crop's offset is 0 here; the map is full size).
    const [r0, c0] = CENTRES[0]!;
    expect(labels[r0 * WIDTH + c0]).toBeGreaterThan(0);

    // The whole image: the bar's text is segmented too, and the set is another one (the area is
    // part of the parameters' hash).
    await editor.analysedArea.set({
      projectId: project.id,
      target: { kind: "image", imageId },
      change: { kind: "clear" },
    });
    const whole = await editor.objects.run({ projectId: project.id, imageId });
    expect(whole.id).not.toBe(set.id);
    expect(whole.paramsHash).not.toBe(set.paramsHash);
    expect(whole.count).toBeGreaterThan(CENTRES.length);
    expect(await editor.objects.forImage({ projectId: project.id, imageId })).toMatchObject({ id: whole.id });
  }, 60_000);

  it("sets, clears and detects again through analysedArea.set; refuses bad input in plain words", async () => {
    const { project, user, dataset, imageId } = await uploadWithBar();
    const editor = callerFor(db, user);
    const target = { kind: "image" as const, imageId };
    const call = (change: Parameters<typeof editor.analysedArea.set>[0]["change"]) =>
      editor.analysedArea.set({ projectId: project.id, target, change });

    expect(await call({ kind: "set", area: { x: 10, y: 5, width: 150, height: 100 } })).toEqual({
      analysedArea: { x: 10, y: 5, width: 150, height: 100, source: "manual" },
      images: 1,
    });
    expect((await db.image.findUniqueOrThrow({ where: { id: imageId } })).analysedArea).toMatchObject({ x: 10 });
    // The whole image typed in is the same as no area.
    expect(await call({ kind: "set", area: { x: 0, y: 0, width: WIDTH, height: HEIGHT } })).toMatchObject({
      analysedArea: null,
    });
    expect((await db.image.findUniqueOrThrow({ where: { id: imageId } })).analysedArea).toBeNull();
    expect(await call({ kind: "detect" })).toMatchObject({
      analysedArea: { x: 0, y: 0, width: WIDTH, height: HEIGHT - BAR, source: "detected" },
    });

    expect(await refusal(call({ kind: "set", area: { x: 0, y: 60, width: 200, height: 91 } }))).toEqual({
      code: "BAD_REQUEST",
      message:
        "The analysed area must lie inside the image: y + height = 151 goes past the image's bottom edge " +
        "(the image is 150 px tall).",
    });
    const fraction = await refusal(call({ kind: "set", area: { x: 0.5, y: 0, width: 0, height: 10 } }));
    expect(fraction.code).toBe("BAD_REQUEST");
    expect(fraction.message).toContain("x must be a whole number of pixels");
    expect(fraction.message).toContain("width must be at least 1 pixel");
    expect(
      await refusal(
        editor.analysedArea.set({
          projectId: project.id,
          target: { kind: "dataset", datasetId: dataset.id },
          change: { kind: "set", area: { x: 0, y: 0, width: 300, height: 100 } },
        }),
      ),
    ).toEqual({
      code: "BAD_REQUEST",
      message: "The analysed area does not fit 1 image of this dataset (the smallest is 200 × 150 px).",
    });
    expect(
      await refusal(
        editor.analysedArea.set({
          projectId: project.id,
          target: { kind: "dataset", datasetId: dataset.id },
          change: { kind: "detect" },
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(
      await editor.analysedArea.set({
        projectId: project.id,
        target: { kind: "dataset", datasetId: dataset.id },
        change: { kind: "set", area: { x: 0, y: 0, width: 200, height: 100 } },
      }),
    ).toMatchObject({ images: 1 });

    // Viewers may not change it; the audit log tells what happened.
    const viewer = await seedUser(db, "viewer");
    await db.membership.create({ data: { projectId: project.id, userId: viewer.id, role: "VIEWER" } });
    expect(
      (
        await refusal(
          callerFor(db, viewer).analysedArea.set({ projectId: project.id, target, change: { kind: "clear" } }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    const events = await db.auditEvent.findMany({
      where: { projectId: project.id, action: "image.analysedArea" },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => describeActivity(event.action, event.data))).toEqual([
      "set the analysed area of an image to 150 × 100 px at (10, 5)",
      "reset the analysed area of an image to the whole image",
      "detected the analysed area of an image: 200 × 130 px at (0, 0)",
      "set the analysed area of the images of a dataset (1 image) to 200 × 100 px at (0, 0)",
    ]);
  }, 60_000);
});
