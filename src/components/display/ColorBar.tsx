import { colormapLut, type ColormapName } from "~/core/analysis/colormaps";

/** The explanations of the continuous maps, shared by the workspace and the share page. */
export const MAP_SCALES = {
  cam: {
    title: "Class activation (CAM)",
    note: "0–1, normalised per image (not a probability); covers only what the network sees: the centre crop, or the analysed area by tiles.",
  },
  texture: {
    title: "Texture: GLCM contrast",
    note: "0–1: share of neighbouring pixel pairs in each 5 × 5 window that differ in the Otsu mask.",
  },
} as const;

/** The CAM's scale for a CAM of the classifier's centre crop, or of the analysed area (tiles mode). */
export function camScale(centreCrop: boolean): { title: string; note: string } {
  return {
    title: MAP_SCALES.cam.title,
    note: centreCrop
      ? "0–1, normalised per image (not a probability); covers only the centre crop the network sees (dashed outline)."
      : "0–1, normalised over all the tiles of the image (not a probability); covers the analysed area the network sees by tiles.",
  };
}

/**
 * A horizontal colour bar of a colour map over 0..1 (the map's 0..255 index range) with ticks,
 * a title and what the values mean. Colours come from THE colour-map module.
 */
export function ColorBar(props: { colormap: ColormapName; title: string; note: string; testId?: string }) {
  const lut = colormapLut(props.colormap);
  const stops = Array.from({ length: 17 }, (_, i) => {
    const index = Math.min(255, i * 16);
    return `rgb(${lut[index * 4]}, ${lut[index * 4 + 1]}, ${lut[index * 4 + 2]}) ${((i / 16) * 100).toFixed(1)}%`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure style={{ margin: "0 0 10px" }} data-testid={props.testId}>
      <figcaption style={{ fontSize: "0.82rem", marginBottom: 2 }}>{props.title}</figcaption>
      <div
        style={{
          height: 10,
          borderRadius: 2,
          border: "1px solid #0003",
          background: `linear-gradient(to right, ${stops.join(", ")})`,
        }}
      />
      <div style={{ position: "relative", height: 14, fontSize: "0.7rem" }} className="muted">
        {ticks.map((tick) => (
          <span
            key={tick}
            style={{
              position: "absolute",
              left: `${tick * 100}%`,
              transform: tick === 0 ? "none" : tick === 1 ? "translateX(-100%)" : "translateX(-50%)",
            }}
          >
            {tick}
          </span>
        ))}
      </div>
      <div className="muted" style={{ fontSize: "0.72rem" }}>
        {props.note}
      </div>
    </figure>
  );
}

/** A swatch and its meaning, for maps of categories (segmentation, clusters). */
export function LegendSwatch(props: { color: string; label: string }) {
  return (
    <span className="row" style={{ gap: 6, fontSize: "0.8rem", flexWrap: "nowrap" }}>
      <span style={{ width: 12, height: 12, borderRadius: 2, background: props.color, border: "1px solid #0003" }} />
      {props.label}
    </span>
  );
}
