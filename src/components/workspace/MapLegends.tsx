"use client";

import { camScale, ColorBar, LegendSwatch, MAP_SCALES } from "~/components/display/ColorBar";
import { colormapLut } from "~/core/analysis/colormaps";
import { OVERLAY_LABELS, type LayerSettings, type OverlayId } from "./layer-settings";

/**
 * What the colours of the overlays on screen mean: colour bars with units for the CAM and the
 * texture, the segmentation's two classes, and where the CAM crop and the excluded band are.
 * (The clusters' legend, with area and mean grey, is in the clusters panel.)
 */
export function MapLegends(props: {
  settings: LayerSettings;
  unavailable: Partial<Record<OverlayId, string>>;
  /** Whether the CAM on screen covers the classifier's centre crop (else the analysed area, by tiles). */
  camCentreCrop: boolean;
}) {
  const { settings } = props;
  const shown = (id: OverlayId) => settings[id].visible && !props.unavailable[id];
  const viridis = colormapLut("viridis");
  const foreground = `rgb(${viridis[255 * 4]}, ${viridis[255 * 4 + 1]}, ${viridis[255 * 4 + 2]})`;
  const any = (["cam", "texture", "segmentation", "camCrop", "excluded"] as const).some(shown);
  if (!any) return null;
  return (
    <section className="panel" aria-label="Legend" data-testid="map-legends">
      <h2>Legend</h2>
      {shown("cam") && (
        <ColorBar colormap={settings.camColormap} {...camScale(props.camCentreCrop)} testId="colorbar-cam" />
      )}
      {shown("texture") && <ColorBar colormap="hot" {...MAP_SCALES.texture} testId="colorbar-texture" />}
      {shown("segmentation") && (
        <div style={{ marginBottom: 8 }} data-testid="legend-segmentation">
          <div style={{ fontSize: "0.82rem" }}>{OVERLAY_LABELS.segmentation}</div>
          <LegendSwatch color={foreground} label="foreground (above the Otsu threshold)" />
          <LegendSwatch color="transparent" label="background (not coloured)" />
        </div>
      )}
      {shown("camCrop") && (
        <p className="muted" style={{ margin: "0 0 6px", fontSize: "0.78rem" }} data-testid="legend-cam-crop">
          Dashed outline: the centre crop the classifier sees; the prediction and the CAM come from it only.
        </p>
      )}
      {shown("excluded") && (
        <p className="muted" style={{ margin: 0, fontSize: "0.78rem" }} data-testid="legend-excluded">
          Hatched: left out of every measurement (an instrument data bar or a crop; the image&apos;s analysed area).
        </p>
      )}
    </section>
  );
}
