import { describe, expect, it } from "vitest";
import { TestEditor } from "./test-editor";

describe("set-scale tool", () => {
  it("keeps the dragged line for the form; Escape drops it, then leaves the tool", () => {
    const editor = new TestEditor();
    editor.key("s");
    expect(editor.toolId).toBe("scale");
    editor.down(100, 200).move(150, 203).up(300, 204);
    expect(editor.measureLine).toEqual({ from: [100, 200], to: [300, 204] });
    expect(editor.getPath()).toBe("scale.idle");
    expect(editor.regions).toHaveLength(0);
    editor.key("Escape");
    expect(editor.measureLine).toBeNull();
    expect(editor.toolId).toBe("scale");
    editor.key("Escape");
    expect(editor.toolId).toBe("pan");
  });

  it("a click is not a line, and Escape while dragging cancels", () => {
    const editor = new TestEditor();
    editor.setTool("scale");
    editor.click(10, 10);
    expect(editor.measureLine).toBeNull();
    expect(editor.hint).toMatch(/Drag along the scale bar/);
    editor.down(10, 10).move(80, 10);
    expect(editor.measureLine).toEqual({ from: [10, 10], to: [80, 10] });
    editor.key("Escape");
    expect(editor.measureLine).toBeNull();
    expect(editor.getPath()).toBe("scale.idle");
  });

  it("is refused when disabled, and switching tools forgets the line", () => {
    const editor = new TestEditor();
    editor.setTool("scale");
    editor.down(0, 0).up(50, 0);
    editor.setTool("select");
    expect(editor.measureLine).toBeNull();
    editor.setDisabledTools(["scale"]);
    editor.key("s");
    expect(editor.toolId).toBe("select");
  });
});
