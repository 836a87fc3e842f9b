import { StateNode, type PointerInfo } from "../../state-node";

export class Idle extends StateNode {
  readonly id = "idle";
  override onPointerDown(info: PointerInfo): void {
    this.parent!.transition("drawing", info);
  }
  override onCancel(): void {
    this.editor.setTool("select");
  }
}
