import { rectangleFromCorners } from "../../geometry-ops";
import { StateNode, type PointerInfo } from "../../state-node";

/** Between pointer down and up; a drag shorter than 3 screen pixels is a click, not a box. */
export class Drawing extends StateNode {
  readonly id = "drawing";

  override onEnter(info?: PointerInfo): void {
    const at = info ? ([info.image.x, info.image.y] as [number, number]) : ([0, 0] as [number, number]);
    this.editor.draft = { kind: "rectangle", from: at, to: at };
  }

  override onExit(): void {
    this.editor.draft = null;
  }

  override onPointerMove(info: PointerInfo): void {
    if (this.editor.draft?.kind !== "rectangle") return;
    this.editor.draft = { ...this.editor.draft, to: [info.image.x, info.image.y] };
    this.editor.notify();
  }

  override onPointerUp(info: PointerInfo): void {
    const draft = this.editor.draft;
    this.parent!.transition("idle");
    if (draft?.kind !== "rectangle") return;
    const minimum = this.editor.screenToImageDistance(3);
    const from = { x: draft.from[0], y: draft.from[1] };
    if (Math.abs(info.image.x - from.x) < minimum || Math.abs(info.image.y - from.y) < minimum) return;
    this.editor.addRegion({
      labelClassId: this.editor.settings.labelClassId,
      geometry: rectangleFromCorners(from, info.image),
    });
  }

  override onCancel(): void {
    this.parent!.transition("idle");
  }
}
