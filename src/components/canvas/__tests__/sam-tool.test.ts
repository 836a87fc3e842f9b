import { describe, expect, test } from "vitest";
import { REGION_GEOMETRY_VERSION, type MaskGeometry } from "~/core/regions/region-geometry";
import {
  acceptableMask,
  currentStep,
  shownMask,
  stepToDecode,
  withStepAnswer,
  type SamDraft,
  type SamMask,
} from "../tools/sam/sam-draft";
import { TestEditor } from "./test-editor";

/** A 4 x 2 mask over the whole image with `on` foreground cells at the start of the second row. */
function maskOf(on: number, handle: string): SamMask {
  const geometry: MaskGeometry = {
    schemaVersion: REGION_GEOMETRY_VERSION,
    kind: "mask",
    gridWidth: 4,
    gridHeight: 2,
    runs: on === 0 ? [8] : [4, on, 4 - on],
    source: { map: "sam2" },
  };
  return { geometry, handle, score: 0.9, area: on };
}

function samDraft(editor: TestEditor): SamDraft {
  const draft = editor.draft;
  if (draft?.kind !== "sam") throw new Error(`no SAM draft: ${JSON.stringify(draft)}`);
  return draft;
}

/** What the decoder hook does when an answer arrives. */
function answer(editor: TestEditor, mask: SamMask): void {
  const next = stepToDecode(samDraft(editor));
  if (!next) throw new Error("nothing to decode");
  editor.draft = withStepAnswer(samDraft(editor), next.step.id, { mask });
  editor.notify();
}

describe("SAM tool", () => {
  test("click is a positive point, Shift+click and right-click negative ones", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.expectToBeIn("sam.idle");
    editor.click(100, 50).expectToBeIn("sam.idle");
    editor.pointerDown({ screen: { x: 200, y: 60 }, image: { x: 200, y: 60 }, button: 0, shiftKey: true });
    editor.pointerUp({ screen: { x: 200, y: 60 }, image: { x: 200, y: 60 }, button: 0, shiftKey: true });
    editor.down(300, 70, 2).move(320, 80).up(300, 70);
    expect(currentStep(samDraft(editor))).toMatchObject({
      points: [
        { x: 100, y: 50, positive: true },
        { x: 200, y: 60, positive: false },
        { x: 300, y: 70, positive: false },
      ],
      box: null,
    });
    // One step per prompt, so that Backspace can go back to each.
    expect(samDraft(editor).steps).toHaveLength(3);
    // The right button does not pan with this tool.
    expect(editor.camera.get()).toMatchObject({ x: 0, y: 0 });
  });

  test("a drag is a box (normalised) that keeps the points; a tiny drag adds a point, not a box", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.click(10, 10);
    editor.down(400, 300).move(402, 301).expectToBeIn("sam.pressing");
    editor.move(250, 120).expectToBeIn("sam.boxing");
    expect(samDraft(editor).dragBox).toEqual({ from: [400, 300], to: [250, 120] });
    editor.up(250, 120).expectToBeIn("sam.idle");
    expect(currentStep(samDraft(editor))).toMatchObject({
      points: [{ x: 10, y: 10, positive: true }],
      box: { x0: 250, y0: 120, x1: 400, y1: 300 },
    });
    expect(samDraft(editor).dragBox).toBeNull();
    // A new box replaces the old one.
    editor.down(0, 0).move(50, 40).up(50, 40);
    expect(currentStep(samDraft(editor))!.box).toEqual({ x0: 0, y0: 0, x1: 50, y1: 40 });
  });

  test("a box as the first prompt; Escape while dragging drops it and leaves no draft", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.down(100, 100).move(200, 200).expectToBeIn("sam.boxing");
    editor.key("Escape").expectToBeIn("sam.idle");
    expect(editor.draft).toBeNull();
    editor.down(100, 100).move(200, 200).up(200, 200);
    expect(samDraft(editor).steps).toHaveLength(1);
    expect(currentStep(samDraft(editor))).toMatchObject({ points: [], box: { x0: 100, y0: 100, x1: 200, y1: 200 } });
  });

  test("each prompt refines the newest mask; Backspace returns to the previous step and its mask", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.click(10, 10);
    expect(stepToDecode(samDraft(editor))).toMatchObject({ previousHandle: null });
    answer(editor, maskOf(2, "h1"));
    expect(stepToDecode(samDraft(editor))).toBeNull();
    editor.click(20, 10);
    expect(stepToDecode(samDraft(editor))).toMatchObject({ previousHandle: "h1" });
    // While the new step is decoded, the previous mask stays shown but cannot be accepted.
    expect(shownMask(samDraft(editor))?.handle).toBe("h1");
    expect(acceptableMask(samDraft(editor))).toBeNull();
    answer(editor, maskOf(3, "h2"));
    expect(acceptableMask(samDraft(editor))?.handle).toBe("h2");

    editor.key("Backspace");
    expect(currentStep(samDraft(editor))!.points).toHaveLength(1);
    expect(acceptableMask(samDraft(editor))?.handle).toBe("h1");
    editor.key("Backspace");
    expect(editor.draft).toBeNull();
    expect(editor.regions).toHaveLength(0);
  });

  test("steps clicked while a request runs are skipped: only the newest is asked, from the newest mask", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.click(10, 10);
    const first = stepToDecode(samDraft(editor))!.step.id;
    editor.click(20, 10).click(30, 10);
    editor.draft = withStepAnswer(samDraft(editor), first, { mask: maskOf(1, "h1") });
    const next = stepToDecode(samDraft(editor))!;
    expect(next.step.points).toHaveLength(3);
    expect(next.previousHandle).toBe("h1");
    // An answer for a step that was removed meanwhile changes nothing.
    const before = samDraft(editor);
    expect(withStepAnswer(before, 123456, { mask: maskOf(1, "x") })).toBe(before);
  });

  test("Enter accepts the mask as a region of the current class (undoable); Escape cancels", () => {
    const editor = new TestEditor();
    editor.setSettings({ labelClassId: "class-a" });
    editor.setTool("sam");
    editor.key("Enter");
    expect(editor.hint).toMatch(/Click the object first/);
    editor.click(10, 10).key("Enter");
    expect(editor.hint).toMatch(/still being computed/);
    expect(editor.regions).toHaveLength(0);
    const mask = maskOf(3, "h1");
    answer(editor, mask);
    editor.key("Enter").expectToBeIn("sam.idle");
    expect(editor.draft).toBeNull();
    expect(editor.regions).toHaveLength(1);
    expect(editor.regions[0]).toMatchObject({ labelClassId: "class-a", geometry: mask.geometry });
    editor.key("z", { ctrl: true });
    expect(editor.regions).toHaveLength(0);

    editor.click(50, 50);
    answer(editor, maskOf(2, "h2"));
    editor.key("Escape").expectToBeIn("sam.idle");
    expect(editor.draft).toBeNull();
    expect(editor.regions).toHaveLength(0);
    // Escape without a prompt leaves the tool, as the other drawing tools do.
    editor.key("Escape").expectToBeIn("select.idle");
  });

  test("an empty mask or a failed decode is not accepted", () => {
    const editor = new TestEditor();
    editor.setTool("sam");
    editor.click(10, 10);
    answer(editor, maskOf(0, "h1"));
    editor.key("Enter");
    expect(editor.hint).toMatch(/empty/);
    editor.click(12, 10);
    const step = stepToDecode(samDraft(editor))!.step;
    editor.draft = withStepAnswer(samDraft(editor), step.id, { error: "the image's embedding is missing" });
    expect(stepToDecode(samDraft(editor))).toBeNull();
    editor.key("Enter");
    expect(editor.hint).toMatch(/No mask to accept: the image's embedding is missing/);
    expect(editor.regions).toHaveLength(0);
  });

  test("M selects the tool; it can be disabled (no model installed) and is refused to viewers", () => {
    const editor = new TestEditor();
    editor.key("m").expectToBeIn("sam.idle");
    editor.setDisabledTools(["sam"]);
    editor.expectToBeIn("pan.idle");
    editor.key("m").expectToBeIn("pan.idle");
    const viewer = new TestEditor();
    viewer.setReadOnly(true);
    viewer.setTool("sam");
    viewer.expectToBeIn("pan.idle");
  });

  test("other tools still pan with the right button", () => {
    const editor = new TestEditor();
    editor.setTool("polygon");
    editor.down(10, 10, 2);
    editor.pointerMove({ screen: { x: 30, y: 25 }, image: { x: 30, y: 25 }, button: 2, shiftKey: false });
    expect(editor.camera.get()).toMatchObject({ x: 20, y: 15 });
    expect(editor.draft).toBeNull();
  });
});
