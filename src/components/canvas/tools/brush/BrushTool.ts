import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Idle } from "./Idle";
import { Painting } from "./Painting";

/** Paint a region, or erase from the selected brush region (B; E toggles the eraser; [ ] size). */
export class BrushTool extends ToolNode {
  readonly id = "brush";
  constructor(editor: AnnotationEditor) {
    super(editor, [Idle, Painting]);
  }
}
