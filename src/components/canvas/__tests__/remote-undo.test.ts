import { describe, expect, test } from "vitest";
import type { EditorRegion } from "../AnnotationEditor";
import { TestEditor } from "./test-editor";

const theirs = (key: string, x: number): EditorRegion => ({
  key,
  labelClassId: null,
  geometry: { schemaVersion: 1, kind: "rectangle", x, y: 0, width: 5, height: 5 },
});

function drawRectangle(editor: TestEditor, x: number): string {
  editor.setTool("rectangle");
  editor
    .down(x, 100)
    .move(x + 20, 120)
    .up(x + 20, 120);
  return editor.regions.at(-1)!.key;
}

describe("undo next to other people's live changes", () => {
  test("undo reverts my edit and keeps a region someone else added meanwhile", () => {
    const editor = new TestEditor();
    const mine = drawRectangle(editor, 10);
    editor.applyRemote([...editor.regions, theirs("remote-1", 500)]);
    editor.undo();
    expect(editor.regions.map((region) => region.key)).toEqual(["remote-1"]);
    editor.redo();
    expect(editor.regions.map((region) => region.key).sort()).toEqual([mine, "remote-1"].sort());
  });

  test("a remote change and a remote deletion survive undo of my earlier edits", () => {
    const editor = new TestEditor();
    editor.load([theirs("a", 0), theirs("b", 100)]);
    const mine = drawRectangle(editor, 300);
    const moved = theirs("a", 42);
    editor.applyRemote(
      editor.regions.filter((region) => region.key !== "b").map((region) => (region.key === "a" ? moved : region)),
    );
    editor.undo();
    expect(editor.regions).toEqual([moved]);
    expect(editor.regions.some((region) => region.key === mine)).toBe(false);
    expect(editor.canUndo).toBe(false);
  });
});
