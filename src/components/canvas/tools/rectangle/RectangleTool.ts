import type { AnnotationEditor } from "../../AnnotationEditor";
import { StateNode } from "../../state-node";
import { Drawing } from "./Drawing";
import { Idle } from "./Idle";

/** Drag a box (R). */
export class RectangleTool extends StateNode {
  readonly id = "rectangle";
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor) {
    super(editor);
    this.addChildren(new Idle(editor), new Drawing(editor));
  }
}
