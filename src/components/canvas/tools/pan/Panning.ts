import type { Vec } from "../../camera";
import { StateNode, type PointerInfo } from "../../state-node";

/** Moves the camera with the pointer; used by the pan tool and by select on empty space. */
export class Panning extends StateNode {
  readonly id = "panning";
  private last: Vec = { x: 0, y: 0 };

  override onEnter(info?: PointerInfo): void {
    if (info) this.last = info.screen;
  }
  override onPointerMove(info: PointerInfo): void {
    this.editor.camera.panBy(info.screen.x - this.last.x, info.screen.y - this.last.y);
    this.last = info.screen;
  }
  override onPointerUp(): void {
    this.parent!.transition("idle");
  }
  override onCancel(): void {
    this.parent!.transition("idle");
  }
}
