"use client";

import { useCallback, useRef } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import type { Size } from "~/components/canvas/camera";

/** Fit, zoom and 1:1 for the editor's camera, around the centre of the pane; the first size fits. */
export function useCameraControls(editor: AnnotationEditor, image: Size) {
  const paneSize = useRef<Size | null>(null);
  const fitted = useRef(false);
  const fit = useCallback(() => {
    if (paneSize.current) editor.camera.fit(image, paneSize.current);
  }, [editor, image]);
  const onSize = useCallback(
    (size: Size) => {
      paneSize.current = size;
      if (!fitted.current) {
        fitted.current = true;
        editor.camera.fit(image, size);
      }
    },
    [editor, image],
  );
  const zoom = useCallback(
    (factor: number) => {
      const size = paneSize.current ?? { width: 800, height: 600 };
      editor.camera.zoomAt(factor, { x: size.width / 2, y: size.height / 2 });
    },
    [editor],
  );
  const actualSize = useCallback(() => {
    const size = paneSize.current ?? { width: 800, height: 600 };
    const { scale } = editor.camera.get();
    editor.camera.zoomAt(1 / scale, { x: size.width / 2, y: size.height / 2 });
  }, [editor]);
  return { fit, onSize, zoom, actualSize };
}
