import { describe, expect, test } from "vitest";
import { TestEditor } from "./test-editor";

describe("polygon tool", () => {
  test("click vertices, click the first point to close", () => {
    const editor = new TestEditor();
    editor.setTool("polygon");
    editor.expectToBeIn("polygon.idle");
    editor.click(10, 10).expectToBeIn("polygon.drawing");
    editor.click(100, 10).click(100, 100);
    expect(editor.draft).toMatchObject({
      kind: "polygon",
      points: [
        [10, 10],
        [100, 10],
        [100, 100],
      ],
    });
    editor.click(11, 11).expectToBeIn("polygon.idle");
    expect(editor.regions).toHaveLength(1);
    expect(editor.regions[0]!.geometry).toEqual({
      schemaVersion: 1,
      kind: "polygon",
      points: [
        [10, 10],
        [100, 10],
        [100, 100],
      ],
    });
    expect(editor.selectedKey).toBe(editor.regions[0]!.key);
    expect(editor.draft).toBeNull();
  });

  test("Enter and double-click finish; Escape cancels; fewer than 3 points is refused", () => {
    const editor = new TestEditor();
    editor.setTool("polygon");
    editor.click(0, 0).click(50, 0).key("Enter");
    editor.expectToBeIn("polygon.drawing");
    expect(editor.hint).toMatch(/at least 3 points/);
    editor.click(50, 50).dblclick(50, 50).expectToBeIn("polygon.idle");
    expect(editor.regions).toHaveLength(1);

    editor.click(200, 200).click(300, 200).key("Escape").expectToBeIn("polygon.idle");
    expect(editor.regions).toHaveLength(1);
  });

  test("Backspace removes the last point while drawing", () => {
    const editor = new TestEditor();
    editor.setTool("polygon");
    editor.click(0, 0).click(50, 0).key("Backspace");
    expect(editor.draft).toMatchObject({ points: [[0, 0]] });
  });
});

describe("rectangle tool", () => {
  test("drag draws a normalised box; a click draws nothing", () => {
    const editor = new TestEditor();
    editor.setTool("rectangle");
    editor.down(100, 80).expectToBeIn("rectangle.drawing");
    editor.move(40, 20).up(40, 20).expectToBeIn("rectangle.idle");
    expect(editor.regions[0]!.geometry).toEqual({
      schemaVersion: 1,
      kind: "rectangle",
      x: 40,
      y: 20,
      width: 60,
      height: 60,
    });
    editor.click(5, 5);
    expect(editor.regions).toHaveLength(1);
  });
});

describe("brush tool", () => {
  test("a stroke makes a brush region with the current class and size", () => {
    const editor = new TestEditor();
    editor.setSettings({ labelClassId: "dendrite", brushSize: 10 });
    editor.setTool("brush");
    editor.down(10, 10).expectToBeIn("brush.painting");
    editor.move(20, 10).move(30, 10).up(30, 10).expectToBeIn("brush.idle");
    expect(editor.regions).toHaveLength(1);
    expect(editor.regions[0]).toMatchObject({
      labelClassId: "dendrite",
      geometry: {
        kind: "brush",
        strokes: [
          {
            mode: "paint",
            size: 10,
            points: [
              [10, 10],
              [20, 10],
              [30, 10],
            ],
          },
        ],
      },
    });
  });

  test("the eraser adds an erase stroke to the selected brush region, and needs one", () => {
    const editor = new TestEditor();
    editor.setTool("brush");
    editor.key("e");
    expect(editor.settings.brushMode).toBe("erase");
    editor.down(10, 10).expectToBeIn("brush.idle");
    expect(editor.hint).toMatch(/Select a brush region/);

    editor.key("e"); // back to paint
    editor.down(10, 10).move(40, 10).up(40, 10);
    editor.key("e");
    editor.down(20, 10).move(25, 10).up(25, 10);
    expect(editor.regions).toHaveLength(1);
    const geometry = editor.regions[0]!.geometry;
    expect(geometry.kind === "brush" && geometry.strokes.map((s) => s.mode)).toEqual(["paint", "erase"]);
  });

  test("[ and ] change the brush size", () => {
    const editor = new TestEditor();
    editor.setSettings({ brushSize: 20 });
    editor.key("]");
    expect(editor.settings.brushSize).toBe(25);
    editor.key("[").key("[");
    expect(editor.settings.brushSize).toBe(16);
  });
});

/** The corners of a 100 px square from (x, y), in drawing order. */
function square(x: number, y: number): [number, number][] {
  return [
    [x, y],
    [x + 100, y],
    [x + 100, y + 100],
    [x, y + 100],
  ];
}

describe("select tool", () => {
  function withSquare() {
    const editor = new TestEditor();
    editor.setTool("polygon");
    editor.click(0, 0).click(100, 0).click(100, 100).click(0, 100).key("Enter");
    editor.setTool("select");
    return editor;
  }

  test("drag a region to move it; one undo step restores it", () => {
    const editor = withSquare();
    editor.down(50, 50).expectToBeIn("select.translating");
    editor.move(60, 55).move(70, 60).up(70, 60).expectToBeIn("select.idle");
    expect(editor.regions[0]!.geometry).toMatchObject({ points: square(20, 10) });
    editor.key("z", { ctrl: true });
    expect(editor.regions[0]!.geometry).toMatchObject({ points: square(0, 0) });
    editor.key("z", { ctrl: true, shift: true });
    expect(editor.regions[0]!.geometry).toMatchObject({ points: square(20, 10) });
  });

  test("drag a vertex of the selected polygon", () => {
    const editor = withSquare();
    editor.click(50, 50); // select
    editor.down(100, 100).expectToBeIn("select.dragging_vertex");
    editor.move(150, 140).up(150, 140).expectToBeIn("select.idle");
    expect(editor.regions[0]!.geometry).toMatchObject({
      points: [
        [0, 0],
        [100, 0],
        [150, 140],
        [0, 100],
      ],
    });
  });

  test("Delete on a hovered vertex removes the vertex; otherwise the region", () => {
    const editor = withSquare();
    editor.click(50, 50);
    editor.move(100, 0).key("Delete");
    expect(editor.regions[0]!.geometry).toMatchObject({
      points: [
        [0, 0],
        [100, 100],
        [0, 100],
      ],
    });
    editor.move(50, 300).key("Delete");
    expect(editor.regions).toHaveLength(0);
    editor.key("z", { ctrl: true });
    expect(editor.regions).toHaveLength(1);
  });

  test("the selected region is grabbed even under a region drawn later", () => {
    const editor = withSquare();
    const squareKey = editor.regions[0]!.key;
    editor.setTool("rectangle");
    editor.down(20, 20).move(80, 80).up(80, 80);
    editor.setTool("select");
    editor.select(squareKey);
    editor.down(50, 50).move(60, 50).up(60, 50);
    expect(editor.regions[0]!.geometry).toMatchObject({ points: square(10, 0) });
    expect(editor.regions[1]!.geometry).toMatchObject({ x: 20, y: 20 });
  });

  test("empty space deselects and pans", () => {
    const editor = withSquare();
    editor.click(50, 50);
    editor.down(500, 500).expectToBeIn("select.panning");
    expect(editor.selectedKey).toBeNull();
    editor.move(520, 510).up(520, 510);
    expect(editor.camera.get()).toMatchObject({ x: 20, y: 10 });
  });
});

describe("editor", () => {
  test("tool shortcuts and middle-button panning from any tool", () => {
    const editor = new TestEditor();
    editor.key("p").expectToBeIn("polygon.idle");
    editor.key("b").expectToBeIn("brush.idle");
    editor.key("v").expectToBeIn("select.idle");
    editor.key("h").expectToBeIn("pan.idle");
    editor.key("p");
    editor.down(0, 0, 1).move(30, 40).up(30, 40).expectToBeIn("polygon.idle");
    expect(editor.camera.get()).toMatchObject({ x: 30, y: 40 });
    expect(editor.regions).toHaveLength(0);
  });

  test("undo of a creation removes the region; redo brings it back with the same key", () => {
    const editor = new TestEditor();
    editor.setTool("rectangle");
    editor.down(0, 0).move(10, 10).up(10, 10);
    const key = editor.regions[0]!.key;
    editor.undo();
    expect(editor.regions).toHaveLength(0);
    editor.redo();
    expect(editor.regions[0]!.key).toBe(key);
  });

  test("a read-only editor only pans and selects", () => {
    const editor = new TestEditor();
    editor.readOnly = true;
    editor.setTool("polygon");
    editor.expectToBeIn("pan.idle");
  });
});
