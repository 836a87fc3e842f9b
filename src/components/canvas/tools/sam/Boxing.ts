import { StateNode, type PointerInfo } from "../../state-node";
import { withBox, type SamDraft } from "./sam-draft";

/** Dragging a box prompt; on release it replaces the prompt's box (a tiny drag adds nothing). */
export class Boxing extends StateNode {
  readonly id = "boxing";

  private get draft(): SamDraft | null {
    return this.editor.draft?.kind === "sam" ? this.editor.draft : null;
  }

  override onPointerMove(info: PointerInfo): void {
    const draft = this.draft;
    if (!draft?.dragBox) return;
    this.editor.draft = { ...draft, dragBox: { from: draft.dragBox.from, to: [info.image.x, info.image.y] } };
    this.editor.notify();
  }

  override onPointerUp(info: PointerInfo): void {
    const draft = this.draft;
    this.parent!.transition("idle");
    if (!draft?.dragBox) return;
    const { from } = draft.dragBox;
    const minimum = this.editor.screenToImageDistance(3);
    if (Math.abs(info.image.x - from[0]) < minimum || Math.abs(info.image.y - from[1]) < minimum) {
      this.dropDragBox(draft);
      return;
    }
    this.editor.draft = withBox(draft, from, [info.image.x, info.image.y]);
    this.editor.notify();
  }

  override onCancel(): void {
    const draft = this.draft;
    this.parent!.transition("idle");
    if (draft) this.dropDragBox(draft);
  }

  private dropDragBox(draft: SamDraft): void {
    this.editor.draft = draft.steps.length > 0 ? { ...draft, dragBox: null } : null;
    this.editor.notify();
  }
}
