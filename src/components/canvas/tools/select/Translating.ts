import type { RegionGeometry } from "~/core/regions/region-geometry";
import type { Vec } from "../../camera";
import { translateGeometry } from "../../geometry-ops";
import type { PointerInfo } from "../../state-node";
import { DraggingSelected } from "./DraggingSelected";

/** Dragging the selected region; one undo step for the whole drag. */
export class Translating extends DraggingSelected {
  readonly id = "translating";
  private start: Vec = { x: 0, y: 0 };

  override onEnter(info?: PointerInfo): void {
    this.start = info?.image ?? { x: 0, y: 0 };
    super.onEnter(info);
  }

  protected edited(original: RegionGeometry, info: PointerInfo): RegionGeometry {
    return translateGeometry(original, info.image.x - this.start.x, info.image.y - this.start.y);
  }
}
