import { StateNode, type PointerInfo } from "../../state-node";

export class Idle extends StateNode {
  readonly id = "idle";

  override onPointerDown(info: PointerInfo): void {
    const selected = this.editor.region(this.editor.selectedKey);
    if (this.editor.settings.brushMode === "erase" && selected?.geometry.kind !== "brush") {
      this.editor.setHint("Select a brush region first (V, then click it): the eraser removes paint from that region.");
      return;
    }
    this.parent!.transition("painting", info);
  }

  override onCancel(): void {
    this.editor.setTool("select");
  }
}
