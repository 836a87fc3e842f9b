import type { AnnotationEditor } from "../../AnnotationEditor";
import { StateNode } from "../../state-node";
import { Drawing } from "./Drawing";
import { Idle } from "./Idle";

/** Click vertices; click the first one, double-click or press Enter to close (P). */
export class PolygonTool extends StateNode {
  readonly id = "polygon";
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor) {
    super(editor);
    this.addChildren(new Idle(editor), new Drawing(editor));
  }
}
