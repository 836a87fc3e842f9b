"use client";

import { useMemo } from "react";
import { GAMMA_RANGE, histogramBins, histogramRange } from "~/components/canvas/window-level";
import type { WindowLevelState } from "./use-window-level";

const BINS = 128;

/**
 * Min, max (in the image's raw units) and gamma of the display, over a histogram of the raw
 * values (log counts); Auto = the 0.5 and 99.5 percentiles, Reset = the default display.
 * Display only: stored data and measurements never change.
 */
export function WindowLevelPanel(props: { state: WindowLevelState }) {
  const { samples, histogram, window, error } = props.state;
  // Sliders span the data's own range (a 12-bit camera in a 16-bit file uses 0..4095), 8-bit 0..255.
  const bounds = useMemo(() => {
    if (!histogram || !samples) return null;
    return samples.bitDepth === 8 ? { min: 0, max: 255 } : histogramRange(histogram);
  }, [histogram, samples]);
  const bars = useMemo(
    () => (histogram && bounds ? histogramBins(histogram, bounds.min, bounds.max, BINS) : []),
    [histogram, bounds],
  );
  const unit = samples ? `raw ${samples.bitDepth}-bit value${samples.channels === 3 ? ", per channel" : ""}` : "";
  return (
    <section className="panel" aria-label="Display" data-testid="window-level">
      <h2>Display (window / level)</h2>
      {error && <p className="error">The image values could not be loaded: {error}</p>}
      {!error && (!samples || !window || !bounds) && <p className="muted">Loading the image values…</p>}
      {samples && window && bounds && (
        <div style={{ display: "grid", gap: 6 }}>
          <Histogram bars={bars} bounds={bounds} window={window} />
          <WindowSlider
            label="Min"
            testId="window-min"
            value={window.min}
            bounds={bounds}
            onChange={(min) => props.state.set({ ...window, min: Math.min(min, window.max) })}
          />
          <WindowSlider
            label="Max"
            testId="window-max"
            value={window.max}
            bounds={bounds}
            onChange={(max) => props.state.set({ ...window, max: Math.max(max, window.min) })}
          />
          <label className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
            <span style={{ width: 42 }}>Gamma</span>
            <input
              type="range"
              data-testid="window-gamma"
              aria-label="Gamma"
              min={GAMMA_RANGE.min}
              max={GAMMA_RANGE.max}
              step={0.05}
              value={window.gamma}
              onChange={(event) => props.state.set({ ...window, gamma: Number(event.target.value) })}
              style={{ flex: 1, padding: 0 }}
            />
            <span style={{ width: 44, textAlign: "right" }}>{window.gamma.toFixed(2)}</span>
          </label>
          <div className="row" style={{ gap: 6 }}>
            <button type="button" data-testid="window-auto" onClick={props.state.auto} title="0.5 to 99.5 percentile">
              Auto
            </button>
            <button type="button" data-testid="window-reset" onClick={props.state.reset}>
              Reset
            </button>
          </div>
          <p className="muted" style={{ margin: 0, fontSize: "0.78rem" }}>
            Units: {unit}. Changes what you see only (kept for this browser session); stored data and every measurement
            stay the same.
          </p>
        </div>
      )}
    </section>
  );
}

function WindowSlider(props: {
  label: string;
  testId: string;
  value: number;
  bounds: { min: number; max: number };
  onChange: (value: number) => void;
}) {
  return (
    <label className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
      <span style={{ width: 42 }}>{props.label}</span>
      <input
        type="range"
        data-testid={props.testId}
        aria-label={`Window ${props.label.toLowerCase()}`}
        min={props.bounds.min}
        max={props.bounds.max}
        step={1}
        value={props.value}
        onChange={(event) => props.onChange(Number(event.target.value))}
        style={{ flex: 1, padding: 0 }}
      />
      <input
        type="number"
        aria-label={`Window ${props.label.toLowerCase()} value`}
        data-testid={`${props.testId}-value`}
        value={props.value}
        onChange={(event) => {
          const value = Number(event.target.value);
          if (Number.isFinite(value)) props.onChange(Math.round(value));
        }}
        style={{ width: 72 }}
      />
    </label>
  );
}

/** Log counts as bars, the window's min..max shaded (SVG: no canvas to manage). */
function Histogram(props: {
  bars: number[];
  bounds: { min: number; max: number };
  window: { min: number; max: number };
}) {
  const { bars, bounds, window } = props;
  const span = Math.max(1, bounds.max - bounds.min);
  const x = (value: number) => Math.min(BINS, Math.max(0, ((value - bounds.min) / span) * BINS));
  return (
    <div>
      <svg
        viewBox={`0 0 ${BINS} 40`}
        preserveAspectRatio="none"
        data-testid="window-histogram"
        role="img"
        aria-label="Histogram of the raw values (log counts)"
        style={{ width: "100%", height: 56, background: "#f4f5f8", borderRadius: 4 }}
      >
        <rect x={x(window.min)} y={0} width={Math.max(0.5, x(window.max) - x(window.min))} height={40} fill="#dbe4ff" />
        {bars.map((height, i) => (
          <rect key={i} x={i} y={40 - height * 38} width={1} height={height * 38} fill="#334" />
        ))}
      </svg>
      <div className="row muted" style={{ justifyContent: "space-between", fontSize: "0.75rem" }}>
        <span>{bounds.min}</span>
        <span>histogram, log counts</span>
        <span>{bounds.max}</span>
      </div>
    </div>
  );
}
