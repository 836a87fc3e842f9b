/** URLs of the token-scoped byte routes (src/app/api/share/[token]/...). */
export function sharedImageUrl(token: string, imageId: string, variant: "display" | "thumbnail" | "samples"): string {
  return `/api/share/${encodeURIComponent(token)}/images/${encodeURIComponent(imageId)}/${variant}`;
}

export function sharedOverlayUrl(token: string, imageId: string, map: string): string {
  return `/api/share/${encodeURIComponent(token)}/images/${encodeURIComponent(imageId)}/overlays/${encodeURIComponent(map)}`;
}
