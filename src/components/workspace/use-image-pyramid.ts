"use client";

import { useEffect, useState } from "react";
import { loadImagePyramid, type ImagePyramid } from "~/components/canvas/image-pyramid";
import { errorMessage } from "~/components/error-message";

/** Loads the display image as a pyramid of downscaled levels (or says why it could not). */
export function useImagePyramid(url: string): { pyramid: ImagePyramid | null; error: string | null } {
  const [pyramid, setPyramid] = useState<ImagePyramid | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadImagePyramid(url)
      .then((loaded) => !cancelled && setPyramid(loaded))
      .catch((error: unknown) => !cancelled && setError(errorMessage(error)));
    return () => {
      cancelled = true;
    };
  }, [url]);
  return { pyramid, error };
}
