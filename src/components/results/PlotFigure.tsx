"use client";

import * as Plot from "@observablehq/plot";
import { useEffect, useRef, useState } from "react";
import { downloadPng, downloadSvg } from "./chart-download";

/**
 * One Observable Plot chart: built from `options` in the browser (Plot draws SVG with the DOM),
 * replaced whenever they change. Clicking while a point is under the pointer (the mark with
 * `tip`) calls `onPick` with that point's datum. Buttons download the chart as PNG and SVG.
 */
export function PlotFigure<Datum>({
  options,
  fileName,
  onPick,
  testId,
}: {
  options: Plot.PlotOptions;
  fileName: string;
  onPick?: (datum: Datum) => void;
  testId: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = Plot.plot(options);
    const onClick = () => {
      if (plot.value !== undefined && plot.value !== null) pick.current?.(plot.value as Datum);
    };
    plot.addEventListener("click", onClick);
    element.replaceChildren(plot);
    return () => {
      plot.removeEventListener("click", onClick);
      plot.remove();
    };
  }, [options]);

  const svg = () => container.current?.querySelector("svg") ?? null;
  async function download(kind: "png" | "svg") {
    const element = svg();
    if (!element) return;
    setError(null);
    try {
      if (kind === "svg") downloadSvg(element, fileName);
      else await downloadPng(element, fileName);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "The download failed");
    }
  }

  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <div ref={container} style={{ cursor: onPick ? "pointer" : undefined }} />
      <figcaption className="row" style={{ marginTop: 6 }}>
        <button type="button" data-testid="download-png" onClick={() => void download("png")}>
          Download PNG
        </button>
        <button type="button" data-testid="download-svg" onClick={() => void download("svg")}>
          Download SVG
        </button>
        {error && <span className="error">{error}</span>}
      </figcaption>
    </figure>
  );
}
