import type { AnnotationEditor } from "../../AnnotationEditor";
import { StateNode } from "../../state-node";
import { Idle } from "./Idle";
import { Panning } from "./Panning";

/** Drag to move the view (H). */
export class PanTool extends StateNode {
  readonly id = "pan";
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor) {
    super(editor);
    this.addChildren(new Idle(editor), new Panning(editor));
  }
}
