import type { AnnotationEditor } from "../../AnnotationEditor";
import { StateNode } from "../../state-node";
import { Idle } from "./Idle";
import { Painting } from "./Painting";

/** Paint a region, or erase from the selected brush region (B; E toggles the eraser; [ ] size). */
export class BrushTool extends StateNode {
  readonly id = "brush";
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor) {
    super(editor);
    this.addChildren(new Idle(editor), new Painting(editor));
  }
}
