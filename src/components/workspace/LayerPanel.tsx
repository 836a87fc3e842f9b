"use client";

import { ChoiceSelect } from "~/components/choice-select";
import { COLORMAP_NAMES } from "~/core/analysis/colormaps";
import { OVERLAY_IDS, OVERLAY_LABELS, type LayerSettings, type OverlayId } from "./layer-settings";

/** Toggles and opacity sliders per overlay; unavailable overlays say why instead of doing nothing. */
export function LayerPanel(props: {
  settings: LayerSettings;
  unavailable: Partial<Record<OverlayId, string>>;
  onChange: (settings: LayerSettings) => void;
}) {
  const { settings } = props;
  const set = (id: OverlayId, patch: Partial<LayerSettings[OverlayId]>) =>
    props.onChange({ ...settings, [id]: { ...settings[id], ...patch } });
  return (
    <section className="panel" aria-label="Layers">
      <h2>Layers</h2>
      <div style={{ display: "grid", gap: 8 }}>
        {OVERLAY_IDS.map((id) => {
          const reason = props.unavailable[id];
          return (
            <div
              key={id}
              data-testid={`layer-${id}`}
              style={{ display: "grid", gridTemplateColumns: "1fr 90px", alignItems: "center", gap: 6 }}
            >
              <label
                title={reason}
                style={{ display: "flex", gap: 6, alignItems: "center", opacity: reason ? 0.55 : 1 }}
              >
                <input
                  type="checkbox"
                  data-testid={`toggle-${id}`}
                  checked={settings[id].visible && !reason}
                  disabled={Boolean(reason)}
                  onChange={(event) => set(id, { visible: event.target.checked })}
                />
                {OVERLAY_LABELS[id]}
              </label>
              <input
                type="range"
                aria-label={`${OVERLAY_LABELS[id]} opacity`}
                data-testid={`opacity-${id}`}
                min={0}
                max={1}
                step={0.05}
                value={settings[id].opacity}
                disabled={Boolean(reason)}
                onChange={(event) => set(id, { opacity: Number(event.target.value) })}
                style={{ padding: 0 }}
              />
              {reason && (
                <span className="muted" style={{ gridColumn: "1 / -1", fontSize: "0.78rem" }}>
                  {reason}
                </span>
              )}
            </div>
          );
        })}
        <label className="row muted">
          CAM colour map
          <ChoiceSelect
            label="CAM colour map"
            value={settings.camColormap}
            options={COLORMAP_NAMES}
            disabled={Boolean(props.unavailable.cam)}
            onChange={(camColormap) => props.onChange({ ...settings, camColormap })}
          />
        </label>
      </div>
    </section>
  );
}
