"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage } from "~/components/error-message";
import { ImageGrid } from "~/components/datasets/ImageGrid";
import { UploadPanel } from "~/components/upload/UploadPanel";
import { useTRPC } from "~/trpc/react";

export function DatasetView({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const images = useQuery(trpc.dataset.images.queryOptions({ projectId, datasetId }));

  if (images.error) return <p className="error">{errorMessage(images.error)}</p>;
  const canUpload = project.data?.role === "OWNER" || project.data?.role === "EDITOR";

  return (
    <>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${projectId}`}>{project.data?.name ?? "…"}</Link> /
      </p>
      <h1>{images.data?.dataset.name ?? "…"}</h1>
      {canUpload && (
        <UploadPanel
          projectId={projectId}
          datasetId={datasetId}
          onUploaded={() =>
            void queryClient.invalidateQueries({ queryKey: trpc.dataset.images.queryKey({ projectId, datasetId }) })
          }
        />
      )}
      <section className="panel">
        <h2>
          Images <span className="badge">{images.data?.images.length ?? 0}</span>
        </h2>
        {images.isPending && <p className="muted">Loading…</p>}
        {images.data?.images.length === 0 && <p className="muted">No images yet{canUpload ? ": drop some above." : "."}</p>}
        {images.data && <ImageGrid images={images.data.images} />}
      </section>
    </>
  );
}
