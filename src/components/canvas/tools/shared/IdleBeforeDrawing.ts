import { StateNode, type PointerInfo } from "../../state-node";

/** Idle state of the shape tools (polygon, rectangle): a press starts drawing; Escape selects. */
export class IdleBeforeDrawing extends StateNode {
  readonly id = "idle";
  override onPointerDown(info: PointerInfo): void {
    this.parent!.transition("drawing", info);
  }
  override onCancel(): void {
    this.editor.setTool("select");
  }
}
