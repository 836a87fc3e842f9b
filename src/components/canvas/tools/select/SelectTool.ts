import type { AnnotationEditor } from "../../AnnotationEditor";
import { StateNode } from "../../state-node";
import { Panning } from "../pan/Panning";
import { DraggingVertex } from "./DraggingVertex";
import { Idle } from "./Idle";
import { Translating } from "./Translating";

/** Select a region, move it, drag its vertices, delete it (V). Empty space pans. */
export class SelectTool extends StateNode {
  readonly id = "select";
  override readonly initial = "idle";
  constructor(editor: AnnotationEditor) {
    super(editor);
    this.addChildren(
      new Idle(editor),
      new Translating(editor),
      new DraggingVertex(editor),
      new Panning(editor),
    );
  }
}
