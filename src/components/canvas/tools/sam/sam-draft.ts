/**
 * What the SAM tool is building before it becomes a region: a stack of prompt steps (each click or
 * box adds one), each with the mask the decoder answered for it. A stack, not a single prompt,
 * so that Backspace goes back to the previous step AND its mask at once, without asking the
 * server again, and the next refinement starts from the right low-res mask.
 *
 * Pure: the tool's states change the editor's draft with these functions; the workspace's decoder
 * hook reads `stepToDecode` and writes answers back with `withStepAnswer`.
 */
import type { MaskGeometry, Point } from "~/core/regions/region-geometry";

/** A point prompt in image pixels; positive: part of the object, negative: not. */
export type SamPoint = { x: number; y: number; positive: boolean };

/** A box prompt in image pixels, normalised (x0 <= x1, y0 <= y1). */
export type SamBox = { x0: number; y0: number; x1: number; y1: number };

/** The decoder's answer to one step. */
export type SamMask = {
  /** The mask as a region geometry, ready to save. */
  geometry: MaskGeometry;
  /** Refers to the low-res logits on the server: the next step's mask_input. */
  handle: string | null;
  /** The decoder's predicted IoU of the mask. */
  score: number;
  /** Pixels of the image inside the mask. */
  area: number;
};

export type SamStep = {
  readonly id: number;
  readonly points: readonly SamPoint[];
  readonly box: SamBox | null;
  /** null until the decoder answers (or while a newer step supersedes it). */
  readonly mask: SamMask | null;
  readonly error: string | null;
};

export type SamDraft = {
  readonly kind: "sam";
  /** Oldest first; empty only while the first box is being dragged. */
  readonly steps: readonly SamStep[];
  /** The box being dragged (image pixels), before it becomes a step. */
  readonly dragBox: { readonly from: Point; readonly to: Point } | null;
};

let lastStepId = 0;
function nextStepId(): number {
  lastStepId += 1;
  return lastStepId;
}

export function currentStep(draft: SamDraft | null): SamStep | null {
  return draft?.steps[draft.steps.length - 1] ?? null;
}

function pushStep(draft: SamDraft | null, points: readonly SamPoint[], box: SamBox | null): SamDraft {
  const step: SamStep = { id: nextStepId(), points, box, mask: null, error: null };
  return { kind: "sam", steps: [...(draft?.steps ?? []), step], dragBox: null };
}

/** One more point on top of the current prompt. */
export function withPoint(draft: SamDraft | null, point: SamPoint): SamDraft {
  const current = currentStep(draft);
  return pushStep(draft, [...(current?.points ?? []), point], current?.box ?? null);
}

/** A box from two corners (any order); it replaces the current box and keeps the points. */
export function withBox(draft: SamDraft | null, from: Point, to: Point): SamDraft {
  const box: SamBox = {
    x0: Math.min(from[0], to[0]),
    y0: Math.min(from[1], to[1]),
    x1: Math.max(from[0], to[0]),
    y1: Math.max(from[1], to[1]),
  };
  return pushStep(draft, currentStep(draft)?.points ?? [], box);
}

/** The draft without its last step; null when that was the only one. */
export function withoutLastStep(draft: SamDraft): SamDraft | null {
  if (draft.steps.length <= 1) return null;
  return { ...draft, steps: draft.steps.slice(0, -1), dragBox: null };
}

/** Stores the decoder's answer (or failure) for step `id`; unchanged when that step is gone. */
export function withStepAnswer(draft: SamDraft, id: number, answer: { mask: SamMask } | { error: string }): SamDraft {
  if (!draft.steps.some((step) => step.id === id)) return draft;
  return {
    ...draft,
    steps: draft.steps.map((step) =>
      step.id === id
        ? { ...step, mask: "mask" in answer ? answer.mask : null, error: "error" in answer ? answer.error : null }
        : step,
    ),
  };
}

/**
 * The step the decoder should answer next (the current one, when it has no answer yet) with the
 * handle of the newest earlier mask to refine from; null when there is nothing to ask. Steps
 * skipped while a request was running are never asked: only the newest prompt matters.
 */
export function stepToDecode(draft: SamDraft | null): { step: SamStep; previousHandle: string | null } | null {
  const step = currentStep(draft);
  if (!draft || !step || step.mask || step.error) return null;
  let previousHandle: string | null = null;
  for (let i = draft.steps.length - 2; i >= 0; i--) {
    const handle = draft.steps[i]!.mask?.handle;
    if (handle) {
      previousHandle = handle;
      break;
    }
  }
  return { step, previousHandle };
}

/** The mask Enter would accept: the current step's answer, if it has arrived. */
export function acceptableMask(draft: SamDraft | null): SamMask | null {
  return currentStep(draft)?.mask ?? null;
}

/** The mask to show: the current step's, or while it is being decoded, the last one known. */
export function shownMask(draft: SamDraft | null): SamMask | null {
  if (!draft) return null;
  for (let i = draft.steps.length - 1; i >= 0; i--) {
    const mask = draft.steps[i]!.mask;
    if (mask) return mask;
  }
  return null;
}
