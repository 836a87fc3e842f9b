import type { RegionGeometry } from "~/core/regions/region-geometry";
import { moveVertex } from "../../geometry-ops";
import type { PointerInfo } from "../../state-node";
import { DraggingSelected } from "./DraggingSelected";

/** Dragging one vertex (polygon point or rectangle corner) of the selected region. */
export class DraggingVertex extends DraggingSelected {
  readonly id = "dragging_vertex";
  private index = -1;

  override onEnter(info?: PointerInfo): void {
    this.index = info ? this.editor.selectedVertexAt(info.image) : -1;
    super.onEnter(info);
  }

  protected edited(original: RegionGeometry, info: PointerInfo): RegionGeometry | null {
    return this.index < 0 ? null : moveVertex(original, this.index, info.image);
  }
}
