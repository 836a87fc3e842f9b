/** The process's heavy-work pool: configured from the environment, busy answered as HTTP 429. */
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { BUSY_MESSAGE, closeHeavyWorkPool, heavyWorkPool, runHeavyTask } from "../heavy-pool";

afterEach(async () => {
  await closeHeavyWorkPool();
  delete process.env.HEAVY_WORK_THREADS;
  delete process.env.HEAVY_WORK_QUEUE;
});

const notAnImage = () => ({
  source: { bytes: new TextEncoder().encode("not an image").buffer },
  limits: { maxBytes: 1024, maxPixels: 1024, maxDecodedBytes: 1024 },
});

describe("heavy-work pool", () => {
  it("takes its size and queue bound from HEAVY_WORK_THREADS and HEAVY_WORK_QUEUE", () => {
    process.env.HEAVY_WORK_THREADS = "3";
    process.env.HEAVY_WORK_QUEUE = "5";
    expect(heavyWorkPool()).toMatchObject({ threads: 3, maxQueue: 5 });
  });

  it("refuses work beyond the queue with AppError TOO_MANY_REQUESTS, and revives domain errors", async () => {
    process.env.HEAVY_WORK_THREADS = "1";
    process.env.HEAVY_WORK_QUEUE = "0";
    const first = runHeavyTask("image.probe", notAnImage());
    const refused = runHeavyTask("image.probe", notAnImage());
    await expect(refused).rejects.toEqual(new AppError("TOO_MANY_REQUESTS", BUSY_MESSAGE));
    // The running task's own error comes back as the codec's class, with its reason.
    await expect(first).rejects.toMatchObject({ name: "ImageProbeError", reason: "UNSUPPORTED_FORMAT" });
  });
});
