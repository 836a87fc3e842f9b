import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Drawing } from "./Drawing";
import { IdleBeforeDrawing } from "../shared/IdleBeforeDrawing";

/** Drag a box (R). */
export class RectangleTool extends ToolNode {
  readonly id = "rectangle";
  constructor(editor: AnnotationEditor) {
    super(editor, [IdleBeforeDrawing, Drawing]);
  }
}
