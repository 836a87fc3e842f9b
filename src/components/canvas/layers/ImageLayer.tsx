"use client";

import { useEffect, useState } from "react";
import { Image as KonvaImage, Layer } from "react-konva";
import type { Camera } from "../camera";
import { pickLevel, type ImagePyramid } from "../image-pyramid";

/**
 * The micrograph, drawn from the pyramid level that matches the zoom (re-picked only when the
 * zoom crosses a level, not on pan).
 */
export function ImageLayer(props: { pyramid: ImagePyramid; camera: Camera }) {
  const pixelRatio = typeof window === "undefined" ? 1 : window.devicePixelRatio || 1;
  const [level, setLevel] = useState(() => pickLevel(props.pyramid, props.camera.get().scale * pixelRatio));
  useEffect(() => {
    const update = () => {
      const next = pickLevel(props.pyramid, props.camera.get().scale * pixelRatio);
      setLevel((current) => (current === next ? current : next));
    };
    update();
    return props.camera.subscribe(update);
  }, [props.pyramid, props.camera, pixelRatio]);
  return (
    <Layer name="image" listening={false}>
      <KonvaImage image={level.source} x={0} y={0} width={props.pyramid.width} height={props.pyramid.height} />
    </Layer>
  );
}
