import { moveVertex } from "../../geometry-ops";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import { StateNode, type PointerInfo } from "../../state-node";

/** Dragging one vertex (polygon point or rectangle corner) of the selected region. */
export class DraggingVertex extends StateNode {
  readonly id = "dragging_vertex";
  private index = -1;
  private original: RegionGeometry | null = null;
  private moved = false;

  override onEnter(info?: PointerInfo): void {
    this.index = info ? this.editor.selectedVertexAt(info.image) : -1;
    this.original = this.editor.region(this.editor.selectedKey)?.geometry ?? null;
    this.moved = false;
  }

  override onPointerMove(info: PointerInfo): void {
    const key = this.editor.selectedKey;
    if (!key || !this.original || this.index < 0) return;
    if (!this.moved) {
      this.editor.mark();
      this.moved = true;
    }
    this.editor.updateRegion(
      key,
      { geometry: moveVertex(this.original, this.index, info.image) },
      { undoable: false },
    );
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
