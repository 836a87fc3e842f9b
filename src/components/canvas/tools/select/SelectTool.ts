import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Panning } from "../pan/Panning";
import { DraggingVertex } from "./DraggingVertex";
import { Idle } from "./Idle";
import { Translating } from "./Translating";

/** Select a region, move it, drag its vertices, delete it (V). Empty space pans. */
export class SelectTool extends ToolNode {
  readonly id = "select";
  constructor(editor: AnnotationEditor) {
    super(editor, [Idle, Translating, DraggingVertex, Panning]);
  }
}
