import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Idle } from "./Idle";
import { Panning } from "./Panning";

/** Drag to move the view (H). */
export class PanTool extends ToolNode {
  readonly id = "pan";
  constructor(editor: AnnotationEditor) {
    super(editor, [Idle, Panning]);
  }
}
