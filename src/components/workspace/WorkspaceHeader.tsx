"use client";

import Link from "next/link";
import type { RouterOutputs } from "~/trpc/react";

type Workspace = RouterOutputs["analysis"]["workspace"];

/** Breadcrumbs, the image's name and format, and previous / next within its dataset. */
export function WorkspaceHeader(props: {
  projectId: string;
  projectName: string;
  image: Workspace["image"];
  navigation: Workspace["navigation"];
  onNavigate: (imageId: string) => void;
}) {
  const { projectId, image, navigation } = props;
  return (
    <>
      <p className="muted" style={{ margin: "0 0 6px" }}>
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${projectId}`}>{props.projectName}</Link> /{" "}
        <Link href={`/projects/${projectId}/datasets/${image.dataset.id}`}>{image.dataset.name}</Link> /
      </p>
      <div className="row" style={{ justifyContent: "space-between", marginBottom: 8 }}>
        <h1 style={{ margin: 0 }} data-testid="image-title">
          {image.fileName}{" "}
          <span className="muted" style={{ fontSize: "0.85rem", fontWeight: 400 }}>
            {image.width}×{image.height} · {image.bitDepth}-bit · {image.format.toUpperCase()}
          </span>
        </h1>
        <div className="row">
          <button
            type="button"
            disabled={!navigation.previousId}
            onClick={() => navigation.previousId && props.onNavigate(navigation.previousId)}
            title="Previous image (←)"
          >
            ← Previous
          </button>
          <span className="muted">
            {navigation.position + 1} of {navigation.count}
          </span>
          <button
            type="button"
            disabled={!navigation.nextId}
            onClick={() => navigation.nextId && props.onNavigate(navigation.nextId)}
            title="Next image (→)"
          >
            Next →
          </button>
        </div>
      </div>
    </>
  );
}
