import type { AnnotationEditor } from "../../AnnotationEditor";
import { ToolNode } from "../../state-node";
import { Boxing } from "./Boxing";
import { Idle } from "./Idle";
import { Pressing } from "./Pressing";

/** The SAM tool's keys, as its panel and its button's tooltip say them. */
export const SAM_KEYS_HINT =
  "Click: object · Shift+click or right-click: not the object · drag: box · Enter: accept · Esc: cancel · Backspace: remove the last point";

/**
 * SAM 2 (M): click a positive point, Shift+click or right-click a negative one, drag a box; the
 * decoder's mask follows each prompt (the workspace's decoder hook answers the draft's steps).
 * Enter accepts the mask as a region of the current class, Escape drops the prompt, Backspace
 * removes the last point or box.
 */
export class SamTool extends ToolNode {
  readonly id = "sam";
  constructor(editor: AnnotationEditor) {
    super(editor, [Idle, Pressing, Boxing]);
  }
}
