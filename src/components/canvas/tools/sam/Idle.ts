import { StateNode, type KeyInfo, type PointerInfo } from "../../state-node";
import { acceptableMask, currentStep, withoutLastStep, type SamDraft } from "./sam-draft";

/** Between gestures, with or without a prompt: Enter accepts, Escape drops, Backspace steps back. */
export class Idle extends StateNode {
  readonly id = "idle";

  private get draft(): SamDraft | null {
    return this.editor.draft?.kind === "sam" ? this.editor.draft : null;
  }

  override onPointerDown(info: PointerInfo): void {
    this.parent!.transition("pressing", info);
  }

  override onKeyDown(key: KeyInfo): boolean {
    const draft = this.draft;
    if (!draft || (key.key !== "Backspace" && key.key !== "Delete")) return false;
    this.editor.draft = withoutLastStep(draft);
    this.editor.hint = null;
    this.editor.notify();
    return true;
  }

  override onComplete(): void {
    const draft = this.draft;
    const mask = acceptableMask(draft);
    if (!mask) {
      const step = currentStep(draft);
      this.editor.setHint(
        step?.error
          ? `No mask to accept: ${step.error}`
          : step
            ? "The mask is still being computed: press Enter again when it shows."
            : "Click the object first (Shift+click or right-click: not the object; drag: a box).",
      );
      return;
    }
    if (mask.area === 0) {
      this.editor.setHint("The mask is empty: click inside the object, or drag a box around it.");
      return;
    }
    this.editor.draft = null;
    this.editor.hint = null;
    this.editor.addRegion({ labelClassId: this.editor.settings.labelClassId, geometry: mask.geometry });
  }

  override onCancel(): void {
    if (!this.draft) {
      this.editor.setTool("select");
      return;
    }
    this.editor.draft = null;
    this.editor.hint = null;
    this.editor.notify();
  }
}
