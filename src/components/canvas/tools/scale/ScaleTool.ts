import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Idle } from "./Idle";
import { Measuring } from "./Measuring";

/**
 * Set scale (S), as ImageJ's: drag a line along the burned-in scale bar; the line stays as
 * `editor.measureLine`, and a form (objects/SetScaleForm) asks for its length. Escape drops the
 * line, a second Escape leaves the tool.
 */
export class ScaleTool extends ToolNode {
  readonly id = "scale";
  constructor(editor: AnnotationEditor) {
    super(editor, [Idle, Measuring]);
  }
  override onExit(): void {
    this.editor.measureLine = null;
  }
}
