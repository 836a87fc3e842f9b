import { StateNode, type PointerInfo } from "../../state-node";

/** Waiting for a line (or with a measured one that the form is asking about). */
export class Idle extends StateNode {
  readonly id = "idle";
  override onPointerDown(info: PointerInfo): void {
    this.parent!.transition("measuring", info);
  }
  override onCancel(): void {
    if (this.editor.measureLine) this.editor.setMeasureLine(null);
    else this.editor.setTool("pan");
  }
}
