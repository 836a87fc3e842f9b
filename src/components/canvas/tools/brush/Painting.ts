import { REGION_GEOMETRY_VERSION, type Point } from "~/core/regions/region-geometry";
import { StateNode, type PointerInfo } from "../../state-node";

/**
 * One stroke between pointer down and up. It goes into the selected brush region when that has
 * the current class (or when erasing), otherwise it starts a new region.
 */
export class Painting extends StateNode {
  readonly id = "painting";

  override onEnter(info?: PointerInfo): void {
    const { brushMode, brushSize, labelClassId } = this.editor.settings;
    const selected = this.editor.region(this.editor.selectedKey);
    const extend =
      selected?.geometry.kind === "brush" && (brushMode === "erase" || selected.labelClassId === labelClassId);
    const start: Point[] = info ? [[info.image.x, info.image.y]] : [];
    this.editor.draft = {
      kind: "brush",
      stroke: { mode: brushMode, size: brushSize, points: start },
      targetKey: extend ? selected.key : null,
    };
    this.editor.hint = null;
    this.editor.notify();
  }

  override onExit(): void {
    this.editor.draft = null;
  }

  override onPointerMove(info: PointerInfo): void {
    const draft = this.editor.draft;
    if (draft?.kind !== "brush") return;
    const last = draft.stroke.points[draft.stroke.points.length - 1];
    // Keep points at least 1 screen pixel and 1/8 of the brush apart: smooth, and small to save.
    const spacing = Math.max(this.editor.screenToImageDistance(1), draft.stroke.size / 8);
    if (last && Math.hypot(last[0] - info.image.x, last[1] - info.image.y) < spacing) return;
    this.editor.draft = {
      ...draft,
      stroke: { ...draft.stroke, points: [...draft.stroke.points, [info.image.x, info.image.y]] },
    };
    this.editor.notify();
  }

  override onPointerUp(): void {
    const draft = this.editor.draft;
    this.parent!.transition("idle");
    if (draft?.kind !== "brush") return;
    const target = this.editor.region(draft.targetKey);
    if (target?.geometry.kind === "brush") {
      this.editor.updateRegion(target.key, {
        geometry: { ...target.geometry, strokes: [...target.geometry.strokes, draft.stroke] },
      });
      return;
    }
    if (draft.stroke.mode === "erase") return;
    this.editor.addRegion({
      labelClassId: this.editor.settings.labelClassId,
      geometry: { schemaVersion: REGION_GEOMETRY_VERSION, kind: "brush", strokes: [draft.stroke] },
    });
  }

  override onCancel(): void {
    this.parent!.transition("idle");
  }
}
