"use client";

import type Konva from "konva";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Stage } from "react-konva";
import type { AnnotationEditor } from "./AnnotationEditor";
import { WHEEL_ZOOM_STEP, type Size, type Vec } from "./camera";

/**
 * One Konva Stage showing the image through the shared camera. Pointer and wheel events are taken
 * on the container (with pointer capture, so drags that leave the pane keep working) and handed
 * to the editor; the camera is applied to the stage imperatively, so panning redraws the canvases
 * without rendering React.
 */
export function ViewerPane(props: {
  paneId: string;
  editor: AnnotationEditor;
  label?: string;
  /** Called with the image point under the pointer (null when it leaves). */
  onHover?: (point: Vec | null) => void;
  onSize?: (size: Size) => void;
  /** A press and release within a few screen pixels (a click), at an image point. */
  onClickImage?: (point: Vec) => void;
  children: ReactNode;
}) {
  const { editor } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const onSize = props.onSize;
  const onHover = props.onHover;
  const pressedAt = useRef<Vec | null>(null);

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const next = {
        width: Math.floor(entry.contentRect.width),
        height: Math.floor(entry.contentRect.height),
      };
      setSize(next);
      onSize?.(next);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [onSize]);

  // Camera -> stage, without React.
  useEffect(() => {
    const apply = () => {
      const stage = stageRef.current;
      if (!stage) return;
      const { x, y, scale } = editor.camera.get();
      stage.position({ x, y });
      stage.scale({ x: scale, y: scale });
      stage.batchDraw();
    };
    apply();
    return editor.camera.subscribe(apply);
  }, [editor, size]);

  // Wheel zoom needs a non-passive listener to stop the page from scrolling.
  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const notches = event.deltaMode === 1 ? event.deltaY / 3 : event.deltaY / 100;
      editor.camera.zoomAt(Math.pow(WHEEL_ZOOM_STEP, -notches), {
        x: event.clientX - rect.left,
        y: event.clientY - rect.top,
      });
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [editor]);

  const infoOf = (event: React.PointerEvent | React.MouseEvent) => {
    const rect = containerRef.current!.getBoundingClientRect();
    const screen = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    return { screen, image: editor.camera.toImage(screen), button: event.button, shiftKey: event.shiftKey };
  };

  return (
    <div
      ref={containerRef}
      className="viewer-pane"
      data-testid={`pane-${props.paneId}`}
      data-tool={editor.toolId}
      tabIndex={-1}
      style={{
        position: "relative",
        flex: 1,
        minWidth: 0,
        minHeight: 0,
        overflow: "hidden",
        background: "#15181f",
        touchAction: "none",
        outline: "none",
      }}
      onPointerDown={(event) => {
        capture(event.currentTarget, event.pointerId, true);
        // No scroll: the page moving under a press would turn a click into a drag.
        containerRef.current?.focus({ preventScroll: true });
        const info = infoOf(event);
        pressedAt.current = info.button === 0 ? info.screen : null;
        editor.pointerDown(info);
      }}
      onPointerMove={(event) => {
        const info = infoOf(event);
        editor.pointerMove(info);
        onHover?.(info.image);
      }}
      onPointerUp={(event) => {
        capture(event.currentTarget, event.pointerId, false);
        const info = infoOf(event);
        editor.pointerUp(info);
        const pressed = pressedAt.current;
        pressedAt.current = null;
        if (pressed && Math.hypot(info.screen.x - pressed.x, info.screen.y - pressed.y) < 4) {
          props.onClickImage?.(info.image);
        }
      }}
      onPointerLeave={() => onHover?.(null)}
      onDoubleClick={(event) => editor.doubleClick(infoOf(event))}
      onContextMenu={(event) => event.preventDefault()}
    >
      {size.width > 0 && size.height > 0 && (
        <Stage id={`stage-${props.paneId}`} ref={stageRef} width={size.width} height={size.height} listening={false}>
          {props.children}
        </Stage>
      )}
      {props.label && (
        <span
          style={{
            position: "absolute",
            left: 8,
            top: 8,
            padding: "2px 8px",
            borderRadius: 4,
            background: "rgba(0,0,0,0.6)",
            color: "#fff",
            fontSize: 12,
            pointerEvents: "none",
          }}
        >
          {props.label}
        </span>
      )}
    </div>
  );
}

/** Pointer capture keeps a drag going outside the pane; synthetic events have no capturable id. */
function capture(element: HTMLElement, pointerId: number, on: boolean): void {
  try {
    if (on) element.setPointerCapture(pointerId);
    else if (element.hasPointerCapture(pointerId)) element.releasePointerCapture(pointerId);
  } catch {
    // Not an active pointer (scripted events): nothing to capture.
  }
}
