import { deleteVertex } from "../../geometry-ops";
import { StateNode, type KeyInfo, type PointerInfo } from "../../state-node";

export class Idle extends StateNode {
  readonly id = "idle";
  private hoveredVertex = -1;

  override onPointerDown(info: PointerInfo): void {
    if (!this.editor.readOnly && this.editor.selectedVertexAt(info.image) >= 0) {
      this.parent!.transition("dragging_vertex", info);
      return;
    }
    const hit = this.editor.regionAt(info.image);
    if (hit) {
      this.editor.select(hit.key);
      if (!this.editor.readOnly) this.parent!.transition("translating", info);
      return;
    }
    this.editor.select(null);
    this.parent!.transition("panning", info);
  }

  override onPointerMove(info: PointerInfo): void {
    this.hoveredVertex = this.editor.selectedVertexAt(info.image);
  }

  /** Delete with the pointer on a polygon vertex removes that vertex, not the region. */
  override onKeyDown(key: KeyInfo): boolean {
    if ((key.key === "Delete" || key.key === "Backspace") && this.hoveredVertex >= 0 && this.editor.selectedKey) {
      const region = this.editor.region(this.editor.selectedKey);
      const next = region ? deleteVertex(region.geometry, this.hoveredVertex) : null;
      if (region && next) {
        this.editor.updateRegion(region.key, { geometry: next });
        this.hoveredVertex = -1;
        return true;
      }
    }
    return false;
  }

  override onCancel(): void {
    this.editor.select(null);
  }
}
