import { StateNode, type PointerInfo } from "../../state-node";

/** Between pointer down and up: the line follows the pointer; Shift keeps it horizontal. */
export class Measuring extends StateNode {
  readonly id = "measuring";

  override onEnter(info?: PointerInfo): void {
    const at = info ? ([info.image.x, info.image.y] as [number, number]) : ([0, 0] as [number, number]);
    this.editor.measureLine = { from: at, to: at };
  }

  override onPointerMove(info: PointerInfo): void {
    const line = this.editor.measureLine;
    if (!line) return;
    const to: [number, number] = [info.image.x, info.shiftKey ? line.from[1] : info.image.y];
    this.editor.setMeasureLine({ from: line.from, to });
  }

  override onPointerUp(info: PointerInfo): void {
    const line = this.editor.measureLine;
    const to: [number, number] = line ? [info.image.x, info.shiftKey ? line.from[1] : info.image.y] : [0, 0];
    this.parent!.transition("idle");
    if (!line) return;
    const length = Math.hypot(to[0] - line.from[0], to[1] - line.from[1]);
    // A click (under 3 screen pixels) is not a line.
    if (length < this.editor.screenToImageDistance(3)) {
      this.editor.setMeasureLine(null);
      this.editor.setHint("Drag along the scale bar to measure it.");
      return;
    }
    this.editor.setMeasureLine({ from: line.from, to });
  }

  override onCancel(): void {
    this.editor.measureLine = null;
    this.parent!.transition("idle");
  }
}
