import type { RegionGeometry } from "~/core/regions/region-geometry";
import { StateNode, type PointerInfo } from "../../state-node";

/**
 * A drag that reshapes the selected region: each move recomputes the geometry from the one at
 * the press (one undo step for the whole drag), and Escape puts the original back.
 */
export abstract class DraggingSelected extends StateNode {
  private original: RegionGeometry | null = null;
  private moved = false;

  /** The geometry for the pointer at `info`, from the geometry at the press; null: no change. */
  protected abstract edited(original: RegionGeometry, info: PointerInfo): RegionGeometry | null;

  override onEnter(_info?: PointerInfo): void {
    this.original = this.editor.region(this.editor.selectedKey)?.geometry ?? null;
    this.moved = false;
  }

  override onPointerMove(info: PointerInfo): void {
    const key = this.editor.selectedKey;
    const geometry = key && this.original ? this.edited(this.original, info) : null;
    if (!key || !geometry) return;
    if (!this.moved) {
      this.editor.mark();
      this.moved = true;
    }
    this.editor.updateRegion(key, { geometry }, { undoable: false });
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
