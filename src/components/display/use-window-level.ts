"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { atImageSize, closePyramid, pyramidFromPixels, type ImagePyramid } from "~/components/canvas/image-pyramid";
import { loadRawSamples } from "~/components/canvas/raw-samples";
import {
  applyWindow,
  autoWindow,
  defaultWindow,
  sameWindow,
  valueHistogram,
  windowLut,
  type RawSamples,
  type WindowLevel,
} from "~/components/canvas/window-level";
import { errorMessage } from "~/components/error-message";

export type DisplayImage = {
  id: string;
  width: number;
  height: number;
  bitDepth: number;
  samplesUrl: string;
  displayUrl: string;
};

/** The state of one image's window/level: the raw values, their histogram and the window. */
export type WindowLevelState = {
  samples: RawSamples | null;
  error: string | null;
  histogram: Uint32Array | null;
  /** The window shown (the default until someone moves it). */
  window: WindowLevel | null;
  initial: WindowLevel | null;
  /** The lookup to apply, or null while the display is the served rendition (the default window). */
  lut: Uint8Array | null;
  /** The lookup of the current window, default or not (for the readout's display value). */
  currentLut: Uint8Array | null;
  set: (window: WindowLevel) => void;
  auto: () => void;
  reset: () => void;
};

const storageKey = (imageId: string) => `vccc.window-level.${imageId}`;

/**
 * Window/level of one image, kept per image in the browser session (sessionStorage), never on
 * the server: the raw values load once, the window changes only the pixels drawn.
 */
export function useWindowLevel(image: DisplayImage): WindowLevelState {
  const [samples, setSamples] = useState<RawSamples | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Read once per mount (the workspace remounts per image); null on the server.
  const [stored, setStored] = useState<WindowLevel | null>(() => readStored(image.id));
  useEffect(() => {
    let cancelled = false;
    loadRawSamples(image)
      .then((loaded) => !cancelled && setSamples(loaded))
      .catch((cause: unknown) => !cancelled && setError(errorMessage(cause)));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the URLs belong to the image id
  }, [image.id]);

  const histogram = useMemo(() => (samples ? valueHistogram(samples) : null), [samples]);
  const initial = useMemo(
    () => (histogram && samples ? defaultWindow(histogram, samples.bitDepth) : null),
    [histogram, samples],
  );
  const window = stored ?? initial;
  const currentLut = useMemo(() => (window && samples ? windowLut(window, samples.bitDepth) : null), [window, samples]);
  const changed = Boolean(window && initial && !sameWindow(window, initial));
  const set = useCallback(
    (next: WindowLevel) => {
      setStored(next);
      writeStored(image.id, next);
    },
    [image.id],
  );
  const reset = useCallback(() => {
    setStored(null);
    writeStored(image.id, null);
  }, [image.id]);
  const auto = useCallback(() => histogram && set(autoWindow(histogram)), [histogram, set]);
  return {
    samples,
    error,
    histogram,
    window,
    initial,
    lut: changed ? currentLut : null,
    currentLut,
    set,
    auto,
    reset,
  };
}

/**
 * The pyramid to draw: the served one for the default window, else one made from the raw values
 * through the window's lookup (latest window wins; the previous pyramid's bitmaps are freed).
 */
export function useWindowedPyramid(
  base: ImagePyramid | null,
  state: Pick<WindowLevelState, "samples" | "lut">,
  size: { width: number; height: number },
): ImagePyramid | null {
  const [windowed, setWindowed] = useState<ImagePyramid | null>(null);
  const { samples, lut } = state;
  useEffect(() => {
    if (!samples || !lut) return;
    let cancelled = false;
    const frame = requestAnimationFrame(() => {
      const rgba = applyWindow(samples, lut);
      void pyramidFromPixels(rgba, samples.width, samples.height).then((made) => {
        if (cancelled) closePyramid(made);
        else setWindowed(atImageSize(made, size));
      });
    });
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the size belongs to the samples' image
  }, [samples, lut]);
  useEffect(
    () => () => {
      if (windowed) closePyramid(windowed);
    },
    [windowed],
  );
  // While a new window renders, the previous windowed picture stays (no flash of the default).
  return lut && windowed ? windowed : base;
}

function readStored(imageId: string): WindowLevel | null {
  try {
    const text = sessionStorage.getItem(storageKey(imageId));
    const value = text ? (JSON.parse(text) as Partial<WindowLevel>) : null;
    if (value && [value.min, value.max, value.gamma].every((n) => typeof n === "number" && Number.isFinite(n))) {
      return value as WindowLevel;
    }
  } catch {
    // No storage (private mode) or a malformed entry: the default window.
  }
  return null;
}

function writeStored(imageId: string, window: WindowLevel | null): void {
  try {
    if (window) sessionStorage.setItem(storageKey(imageId), JSON.stringify(window));
    else sessionStorage.removeItem(storageKey(imageId));
  } catch {
    // Storage full or unavailable: the window still applies, for this page only.
  }
}
