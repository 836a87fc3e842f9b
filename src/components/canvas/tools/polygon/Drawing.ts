import { HANDLE_TOLERANCE_PX } from "../../AnnotationEditor";
import type { Point } from "~/core/regions/region-geometry";
import { REGION_GEOMETRY_VERSION } from "~/core/regions/region-geometry";
import { StateNode, type KeyInfo, type PointerInfo } from "../../state-node";

/** Placing vertices. The draft lives on the editor so the annotation layer can draw it. */
export class Drawing extends StateNode {
  readonly id = "drawing";

  private get points(): Point[] {
    return this.editor.draft?.kind === "polygon" ? this.editor.draft.points : [];
  }

  override onEnter(info?: PointerInfo): void {
    const first: Point[] = info ? [[info.image.x, info.image.y]] : [];
    this.editor.draft = { kind: "polygon", points: first, cursor: null };
    this.editor.setHint("Click to add points · click the first point, double-click or Enter to finish · Esc cancels");
  }

  override onExit(): void {
    this.editor.draft = null;
    this.editor.hint = null;
  }

  override onPointerDown(info: PointerInfo): void {
    const points = this.points;
    const first = points[0];
    const closeDistance = this.editor.screenToImageDistance(HANDLE_TOLERANCE_PX);
    if (first && points.length >= 3 && Math.hypot(first[0] - info.image.x, first[1] - info.image.y) <= closeDistance) {
      this.onComplete();
      return;
    }
    const last = points[points.length - 1];
    // A second click at the same spot (the first half of a double-click) adds nothing.
    if (last && Math.hypot(last[0] - info.image.x, last[1] - info.image.y) <= closeDistance / 4) return;
    this.editor.draft = { kind: "polygon", points: [...points, [info.image.x, info.image.y]], cursor: null };
    this.editor.notify();
  }

  override onPointerMove(info: PointerInfo): void {
    this.editor.draft = { kind: "polygon", points: this.points, cursor: [info.image.x, info.image.y] };
    this.editor.notify();
  }

  override onDoubleClick(): void {
    this.onComplete();
  }

  override onKeyDown(key: KeyInfo): boolean {
    if (key.key === "Backspace" || key.key === "Delete") {
      const points = this.points.slice(0, -1);
      if (points.length === 0) this.onCancel();
      else {
        this.editor.draft = { kind: "polygon", points, cursor: null };
        this.editor.notify();
      }
      return true;
    }
    return false;
  }

  override onComplete(): void {
    const points = this.points;
    if (points.length < 3) {
      this.editor.setHint("A polygon needs at least 3 points");
      return;
    }
    this.parent!.transition("idle");
    this.editor.addRegion({
      labelClassId: this.editor.settings.labelClassId,
      geometry: { schemaVersion: REGION_GEOMETRY_VERSION, kind: "polygon", points },
    });
  }

  override onCancel(): void {
    this.parent!.transition("idle");
  }
}
