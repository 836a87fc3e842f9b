"use client";

import { useEffect, useEffectEvent } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))
  );
}

/**
 * The image page's keys, wherever the focus is (except while typing): 1–9 label the image, 0
 * clears it, ← → previous / next image, F fit, + − zoom, C compare; the rest go to the editor's
 * tools (H V P R B E, [ ], Delete, undo / redo).
 */
export function useWorkspaceKeyboard(options: {
  editor: AnnotationEditor;
  canAnnotate: boolean;
  labelClasses: readonly { id: string }[];
  label: (labelClassId: string | null) => void;
  navigation: { previousId: string | null; nextId: string | null };
  navigate: (imageId: string) => void;
  fit: () => void;
  zoom: (factor: number) => void;
  toggleCompare: () => void;
}) {
  const { editor } = options;
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (isTyping(event.target) || event.altKey) return;
    const plain = !event.ctrlKey && !event.metaKey;
    if (plain && /^[0-9]$/.test(event.key) && options.canAnnotate && editor.isIdle()) {
      const labelClass = options.labelClasses[Number(event.key) - 1];
      if (event.key === "0") options.label(null);
      else if (labelClass) options.label(labelClass.id);
      event.preventDefault();
      return;
    }
    if (plain && editor.isIdle() && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      const id = event.key === "ArrowLeft" ? options.navigation.previousId : options.navigation.nextId;
      if (id) options.navigate(id);
      event.preventDefault();
      return;
    }
    if (plain && (event.key === "f" || event.key === "F")) return void (options.fit(), event.preventDefault());
    if (plain && (event.key === "+" || event.key === "=")) return void (options.zoom(1.25), event.preventDefault());
    if (plain && event.key === "-") return void (options.zoom(0.8), event.preventDefault());
    if (plain && (event.key === "c" || event.key === "C"))
      return void (options.toggleCompare(), event.preventDefault());
    if (
      editor.keyDown({
        key: event.key,
        shiftKey: event.shiftKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
      })
    )
      event.preventDefault();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}
