"use client";

import { useEffect, useRef } from "react";
import { decodeMaskRuns, type RegionGeometry } from "~/core/regions/region-geometry";

export type SharedRegion = { geometry: RegionGeometry; className: string | null; color: string | null };

const FALLBACK = "#ffcc00";

/** A mask region drawn into a canvas stretched over the image (its grid may be coarser). */
function MaskCanvas({ geometry, color }: { geometry: Extract<RegionGeometry, { kind: "mask" }>; color: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    const mask = decodeMaskRuns(geometry.runs, geometry.gridWidth * geometry.gridHeight);
    const pixels = context.createImageData(geometry.gridWidth, geometry.gridHeight);
    const value = parseInt(color.slice(1), 16);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      pixels.data.set([(value >> 16) & 255, (value >> 8) & 255, value & 255, 110], i * 4);
    }
    context.putImageData(pixels, 0, 0);
  }, [geometry, color]);
  return (
    <canvas
      ref={ref}
      width={geometry.gridWidth}
      height={geometry.gridHeight}
      style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
    />
  );
}

/** Regions over the image in image-pixel coordinates (SVG viewBox = the image size). */
export function SharedAnnotations({
  regions,
  width,
  height,
}: {
  regions: SharedRegion[];
  width: number;
  height: number;
}) {
  return (
    <>
      {regions.map((region, index) =>
        region.geometry.kind === "mask" ? (
          <MaskCanvas key={index} geometry={region.geometry} color={region.color ?? FALLBACK} />
        ) : null,
      )}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
        data-testid="shared-regions"
      >
        {regions.map((region, index) => {
          const color = region.color ?? FALLBACK;
          const stroke = { stroke: color, strokeWidth: Math.max(1, width / 400), fill: `${color}33` };
          const g = region.geometry;
          switch (g.kind) {
            case "polygon":
              return <polygon key={index} points={g.points.map((p) => p.join(",")).join(" ")} {...stroke} />;
            case "rectangle":
              return <rect key={index} x={g.x} y={g.y} width={g.width} height={g.height} {...stroke} />;
            case "brush":
              return (
                <g key={index}>
                  <mask id={`brush-${index}`} maskUnits="userSpaceOnUse" x={0} y={0} width={width} height={height}>
                    {g.strokes.map((s, i) => (
                      <polyline
                        key={i}
                        points={(s.points.length === 1 ? [s.points[0]!, s.points[0]!] : s.points)
                          .map((p) => p.join(","))
                          .join(" ")}
                        fill="none"
                        stroke={s.mode === "paint" ? "white" : "black"}
                        strokeWidth={s.size}
                        strokeLinecap="round"
                        strokeLinejoin="round"
                      />
                    ))}
                  </mask>
                  <rect
                    x={0}
                    y={0}
                    width={width}
                    height={height}
                    fill={color}
                    fillOpacity={0.45}
                    mask={`url(#brush-${index})`}
                  />
                </g>
              );
            case "mask":
              return null;
          }
        })}
      </svg>
    </>
  );
}
