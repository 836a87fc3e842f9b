"use client";

import { useEffect, useState } from "react";
import { atImageSize, loadImagePyramid, type ImagePyramid } from "~/components/canvas/image-pyramid";
import { errorMessage } from "~/components/error-message";

/**
 * Loads the display image as a pyramid of downscaled levels (or says why it could not), at the
 * image's own `size` when the display is a smaller rendition of it.
 */
export function useImagePyramid(
  url: string,
  size?: { width: number; height: number },
): { pyramid: ImagePyramid | null; error: string | null } {
  const [pyramid, setPyramid] = useState<ImagePyramid | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadImagePyramid(url)
      .then((loaded) => !cancelled && setPyramid(size ? atImageSize(loaded, size) : loaded))
      .catch((error: unknown) => !cancelled && setError(errorMessage(error)));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the size belongs to the URL's image
  }, [url, size?.width, size?.height]);
  return { pyramid, error };
}
