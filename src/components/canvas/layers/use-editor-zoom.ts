"use client";

import { useSyncExternalStore } from "react";
import type { AnnotationEditor } from "../AnnotationEditor";

/**
 * Re-renders the calling layer on every edit of `editor` and on every zoom, and returns the zoom
 * (screen px per image px). Panning does not re-render: layers follow it through the stage.
 */
export function useEditorZoom(editor: AnnotationEditor): number {
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  return useSyncExternalStore(
    (listener) => editor.camera.subscribe(listener),
    () => editor.camera.get().scale,
    () => 1,
  );
}
