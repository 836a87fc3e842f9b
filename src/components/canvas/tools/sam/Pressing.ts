import { StateNode, type PointerInfo } from "../../state-node";
import { withPoint } from "./sam-draft";

/** Screen pixels the pointer may move before a press becomes a box drag. */
export const SAM_DRAG_THRESHOLD_PX = 4;

/** Between pointer down and up: a click adds a point, a drag of the primary button starts a box. */
export class Pressing extends StateNode {
  readonly id = "pressing";
  private start: PointerInfo | null = null;

  override onEnter(info?: PointerInfo): void {
    this.start = info ?? null;
  }

  override onPointerMove(info: PointerInfo): void {
    const start = this.start;
    if (!start || start.button !== 0) return;
    if (Math.hypot(info.screen.x - start.screen.x, info.screen.y - start.screen.y) < SAM_DRAG_THRESHOLD_PX) return;
    const draft = this.editor.draft?.kind === "sam" ? this.editor.draft : { kind: "sam" as const, steps: [] };
    this.editor.draft = {
      ...draft,
      dragBox: { from: [start.image.x, start.image.y], to: [info.image.x, info.image.y] },
    };
    this.parent!.transition("boxing");
  }

  override onPointerUp(): void {
    const start = this.start;
    this.parent!.transition("idle");
    if (!start) return;
    const current = this.editor.draft?.kind === "sam" ? this.editor.draft : null;
    this.editor.draft = withPoint(current, {
      x: start.image.x,
      y: start.image.y,
      // Shift or the secondary button: "not this" (SAM's negative point, label 0).
      positive: !(start.shiftKey || start.button === 2),
    });
    this.editor.hint = null;
    this.editor.notify();
  }

  override onCancel(): void {
    this.parent!.transition("idle");
  }
}
