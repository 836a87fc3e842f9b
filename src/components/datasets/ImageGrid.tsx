"use client";

import type { RouterOutputs } from "~/trpc/react";

type ImageSummary = RouterOutputs["dataset"]["images"]["images"][number];

function describe(image: ImageSummary): string {
  const parts = [`${image.width}×${image.height}`, `${image.bitDepth}-bit`, image.format.toUpperCase()];
  if (image.pixelSizeUm) parts.push(`${image.pixelSizeUm.toPrecision(3)} µm/px`);
  if (image.pageCount > 1) parts.push(`page 1 of ${image.pageCount}`);
  return parts.join(" · ");
}

export function ImageGrid({ images }: { images: ImageSummary[] }) {
  return (
    <div className="thumbs" data-testid="image-grid">
      {images.map((image) => (
        <figure key={image.id} className="thumb" data-testid="image-thumb" style={{ margin: 0 }}>
          <a href={`/api/images/${image.id}/original`} target="_blank" rel="noreferrer">
            {/* Thumbnails come from an authenticated route with ETags; next/image would re-encode them. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={`/api/images/${image.id}/thumbnail`} alt={image.fileName} loading="lazy" />
          </a>
          <figcaption className="caption">
            <div className="name" title={image.fileName}>
              {image.fileName}
            </div>
            <div className="muted">{describe(image)}</div>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
