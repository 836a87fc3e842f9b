"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import { CopyableUrl, useCreatedLink } from "~/components/copyable-url";
import { ItemOptions } from "~/components/choice-select";

const OVERLAYS = ["segmentation", "contrast", "clusters", "cam"] as const;
type Overlay = (typeof OVERLAYS)[number];
const OVERLAY_LABEL: Record<Overlay, string> = {
  segmentation: "Otsu segmentation",
  contrast: "Texture",
  clusters: "k-means clusters",
  cam: "Class activation map",
};

/**
 * Read-only links (EDITOR+): a whole dataset or one image, with the chosen overlays and parts.
 * Anyone with the link sees exactly that, without an account, until it expires or is revoked.
 */
export function ShareLinksPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  const links = useQuery(trpc.share.list.queryOptions({ projectId }));
  const [datasetId, setDatasetId] = useState("");
  const [imageId, setImageId] = useState("");
  const images = useQuery({
    ...trpc.dataset.images.queryOptions({ projectId, datasetId }),
    enabled: datasetId !== "",
  });
  const [overlays, setOverlays] = useState<Overlay[]>([...OVERLAYS]);
  const [parts, setParts] = useState({ annotations: true, prediction: true, metrics: true });
  const [expiresInDays, setExpiresInDays] = useState<number | null>(30);
  const newLink = useCreatedLink("/s/", trpc.share.list.queryKey({ projectId }));
  const create = useMutation(trpc.share.create.mutationOptions({ onSuccess: newLink.onCreated }));
  const revoke = useMutation(trpc.share.revoke.mutationOptions({ onSuccess: newLink.refresh }));
  const selectedDataset = datasetId || datasets.data?.[0]?.id || "";

  return (
    <section className="panel" data-testid="share-panel">
      <h2>Share links</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!selectedDataset) return;
          create.mutate({
            projectId,
            target: imageId ? { kind: "image", imageId } : { kind: "dataset", datasetId: selectedDataset },
            include: { overlays, ...parts },
            expiresInDays,
          });
        }}
      >
        <div className="row">
          <select
            aria-label="Dataset to share"
            value={selectedDataset}
            onChange={(e) => {
              setDatasetId(e.target.value);
              setImageId("");
            }}
          >
            <ItemOptions items={datasets.data} text={(d) => d.name} />
          </select>
          <select
            aria-label="Image to share"
            value={imageId}
            onChange={(e) => setImageId(e.target.value)}
            onFocus={() => !datasetId && setDatasetId(selectedDataset)}
          >
            <option value="">The whole dataset</option>
            <ItemOptions items={images.data?.images} text={(image) => image.fileName} />
          </select>
          <select
            aria-label="Link expiry"
            value={expiresInDays ?? "never"}
            onChange={(e) => setExpiresInDays(e.target.value === "never" ? null : Number(e.target.value))}
          >
            <option value={1}>Expires in 1 day</option>
            <option value={7}>Expires in 7 days</option>
            <option value={30}>Expires in 30 days</option>
            <option value="never">Until revoked</option>
          </select>
        </div>
        <div className="row">
          {OVERLAYS.map((overlay) => (
            <label key={overlay}>
              <input
                type="checkbox"
                checked={overlays.includes(overlay)}
                onChange={(e) =>
                  setOverlays(e.target.checked ? [...overlays, overlay] : overlays.filter((o) => o !== overlay))
                }
              />{" "}
              {OVERLAY_LABEL[overlay]}
            </label>
          ))}
          {(["annotations", "prediction", "metrics"] as const).map((part) => (
            <label key={part}>
              <input
                type="checkbox"
                checked={parts[part]}
                onChange={(e) => setParts({ ...parts, [part]: e.target.checked })}
              />{" "}
              {part}
            </label>
          ))}
          <button className="primary" type="submit" disabled={create.isPending || !selectedDataset}>
            Create share link
          </button>
        </div>
        {create.error && <p className="error">{errorMessage(create.error)}</p>}
      </form>
      {newLink.created && <CopyableUrl path={newLink.created} testId="share-url" />}
      {links.data && links.data.length > 0 && (
        <ul data-testid="share-links">
          {links.data.map((link) => (
            <li key={link.id} data-testid="share-link">
              {link.scope.kind === "image" ? "Image" : "Dataset"} “{link.targetName}” ·{" "}
              <span className="muted">by {link.createdBy?.name || link.createdBy?.email || "unknown"}</span> ·{" "}
              {link.active
                ? link.expiresAt
                  ? `expires ${link.expiresAt.toLocaleDateString()}`
                  : "until revoked"
                : `inactive (${link.inactiveReason ?? "unknown"})`}{" "}
              {link.active && (
                <button type="button" onClick={() => revoke.mutate({ projectId, shareLinkId: link.id })}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoke.error && <p className="error">{errorMessage(revoke.error)}</p>}
    </section>
  );
}
