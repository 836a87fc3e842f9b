"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import type { ConfusionCell } from "./ConfusionMatrix";

/** The images one confusion-matrix cell counts: thumbnails and names, each opening its workspace. */
export function ConfusionCellImages(props: { projectId: string; modelVersionId: string; cell: ConfusionCell }) {
  const { projectId, modelVersionId, cell } = props;
  const trpc = useTRPC();
  const images = useQuery(trpc.modelVersion.confusionCellImages.queryOptions({ projectId, modelVersionId, ...cell }));
  const heading = `Labelled ${cell.actualClass}, predicted ${cell.predictedClass}`;
  return (
    <section data-testid="confusion-cell-images" aria-label={heading} style={{ marginTop: 8 }}>
      <h3 style={{ fontSize: "0.95rem", margin: "4px 0" }}>{heading}</h3>
      {images.isPending && <p className="muted">Loading…</p>}
      {images.error && <p className="error">{errorMessage(images.error)}</p>}
      {images.data && (
        <>
          <p className="muted" style={{ fontSize: "0.85rem" }}>
            {images.data.total} images
            {images.data.kind === "cross-validation"
              ? " (predicted while held out of training, labels as trained on)"
              : " (stored analyses under the project's settings, current labels)"}
            {images.data.missing > 0 ? ` · ${images.data.missing} deleted since` : ""}
            {images.data.images.length < images.data.total - images.data.missing
              ? ` · the first ${images.data.images.length} by name`
              : ""}
          </p>
          <div className="thumbs">
            {images.data.images.map((image) => (
              <Link
                key={image.imageId}
                className="thumb"
                href={`/projects/${projectId}/images/${image.imageId}`}
                data-testid="cell-image"
                style={{ color: "inherit" }}
              >
                {/* Thumbnails come from an authenticated route with ETags; next/image would re-encode them. */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={`/api/images/${image.imageId}/thumbnail`} alt="" loading="lazy" />
                <span className="caption" style={{ display: "block" }}>
                  <span className="name" style={{ display: "block" }} title={image.fileName}>
                    {image.fileName}
                  </span>
                  <span className="muted">{image.datasetName}</span>
                </span>
              </Link>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
