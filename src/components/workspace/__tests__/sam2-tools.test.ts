import { describe, expect, test } from "vitest";
import { sam2PromptSchema } from "~/server/inference/sam2/decode-sam2-prompt";
import { SAM2_FALLBACK_HINT, sam2Availability } from "../sam2-availability";
import { decodePrompt } from "../use-sam-decoder";

const HINT = "No SAM 2 model is installed. Export one with samexporter (models/sam2/README.md), then run: …";

describe("sam2Availability (the SAM tool button and the dataset actions)", () => {
  test("without any model: disabled, with the server's one-line install hint", () => {
    const state = sam2Availability({ models: [], defaultModel: null, installHint: HINT });
    expect(state).toEqual({ enabled: false, readyModels: [], defaultModel: null, reason: HINT });
  });

  test("a model whose files changed or are missing does not count; the fallback hint when the server gives none", () => {
    const state = sam2Availability({
      models: [
        { name: "large", status: "changed" },
        { name: "tiny", status: "incomplete" },
      ],
      defaultModel: null,
      installHint: null,
    });
    expect(state.enabled).toBe(false);
    expect(state.reason).toBe(SAM2_FALLBACK_HINT);
    expect(state.reason).toMatch(/models\/sam2\/README\.md/);
  });

  test("ready models are the choices; the server's default is used first", () => {
    const state = sam2Availability({
      models: [
        { name: "base-plus", status: "ready" },
        { name: "broken", status: "invalid-card" },
        { name: "tiny", status: "ready" },
      ],
      defaultModel: "tiny",
      installHint: null,
    });
    expect(state).toEqual({ enabled: true, readyModels: ["base-plus", "tiny"], defaultModel: "tiny", reason: null });
  });

  test("while loading: disabled without a message; a failed listing says so", () => {
    expect(sam2Availability(undefined)).toMatchObject({ enabled: false, reason: null });
    expect(sam2Availability(undefined, new Error("offline"))).toMatchObject({
      enabled: false,
      reason: "SAM 2 models could not be listed.",
    });
  });
});

describe("decodePrompt (a SAM tool step as sam2.decode's prompt)", () => {
  test("points in image pixels with labels 1 / 0, the box, and the mask to refine", () => {
    const step = {
      points: [
        { x: 12.5, y: 40, positive: true },
        { x: 30, y: 41, positive: false },
      ],
      box: { x0: 1, y0: 2, x1: 50, y1: 60 },
    };
    const prompt = decodePrompt(step, "6f1c3f0e-8a57-4c55-9b3e-1f1f6d8e2a10");
    // What the server accepts (its own schema), so the two sides cannot drift apart unnoticed.
    expect(sam2PromptSchema.safeParse(prompt).success).toBe(true);
    expect(prompt).toEqual({
      points: [
        { x: 12.5, y: 40, label: 1 },
        { x: 30, y: 41, label: 0 },
      ],
      box: { x0: 1, y0: 2, x1: 50, y1: 60 },
      previous: "6f1c3f0e-8a57-4c55-9b3e-1f1f6d8e2a10",
    });
  });

  test("a box alone, no previous mask: no points, no `previous` field", () => {
    const prompt = decodePrompt({ points: [], box: { x0: 0, y0: 0, x1: 5, y1: 5 } }, null);
    expect(sam2PromptSchema.safeParse(prompt).success).toBe(true);
    expect(prompt).toEqual({
      points: [],
      box: { x0: 0, y0: 0, x1: 5, y1: 5 },
    });
  });
});
