import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Drawing } from "./Drawing";
import { IdleBeforeDrawing } from "../shared/IdleBeforeDrawing";

/** Click vertices; click the first one, double-click or press Enter to close (P). */
export class PolygonTool extends ToolNode {
  readonly id = "polygon";
  constructor(editor: AnnotationEditor) {
    super(editor, [IdleBeforeDrawing, Drawing]);
  }
}
