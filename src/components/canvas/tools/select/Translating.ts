import type { Vec } from "../../camera";
import { translateGeometry } from "../../geometry-ops";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import { StateNode, type PointerInfo } from "../../state-node";

/** Dragging the selected region; one undo step for the whole drag. */
export class Translating extends StateNode {
  readonly id = "translating";
  private start: Vec = { x: 0, y: 0 };
  private original: RegionGeometry | null = null;
  private moved = false;

  override onEnter(info?: PointerInfo): void {
    this.start = info?.image ?? { x: 0, y: 0 };
    this.original = this.editor.region(this.editor.selectedKey)?.geometry ?? null;
    this.moved = false;
  }

  override onPointerMove(info: PointerInfo): void {
    const key = this.editor.selectedKey;
    if (!key || !this.original) return;
    if (!this.moved) {
      this.editor.mark();
      this.moved = true;
    }
    const moved = translateGeometry(this.original, info.image.x - this.start.x, info.image.y - this.start.y);
    this.editor.updateRegion(key, { geometry: moved }, { undoable: false });
  }

  override onPointerUp(): void {
    this.parent!.transition("idle");
  }

  override onCancel(): void {
    const key = this.editor.selectedKey;
    if (key && this.original && this.moved)
      this.editor.updateRegion(key, { geometry: this.original }, { undoable: false });
    this.parent!.transition("idle");
  }
}
