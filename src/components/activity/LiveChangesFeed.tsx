"use client";

import { useLiveUpdates, type LiveChange } from "./use-live-updates";

function describe(change: LiveChange): string | null {
  const who = "actorName" in change && change.actorName ? change.actorName : "Someone";
  switch (change.kind) {
    case "labels":
      return change.labelClassId === null
        ? `${who} cleared a label`
        : `${who} labelled ${change.imageIds?.length ?? "many"} image(s)`;
    case "regions":
      return `${who} ${change.change} a region`;
    case "images":
      return `${who} uploaded ${change.count} image(s)`;
    case "job":
      return change.status === "SUCCEEDED"
        ? "An analysis job finished"
        : change.status === "FAILED"
          ? "An analysis job failed"
          : null;
    case "resync":
      return null;
  }
}

/**
 * Keeps the page live (useLiveUpdates) and shows the last few changes others made, so a refetched
 * view does not change under someone without a word. Mount once on a dataset or image page.
 */
export function LiveChangesFeed(props: { projectId: string; datasetId?: string; imageId?: string }) {
  const { recent, status } = useLiveUpdates(props);
  const lines = recent.flatMap(({ at, change }) => {
    const text = describe(change);
    return text ? [{ at, text }] : [];
  });
  return (
    <div className="muted" data-testid="live-feed" data-live-status={status} style={{ fontSize: "0.85rem" }}>
      <span title="Changes by others appear without reloading">{status === "pending" ? "● live" : "○ connecting"}</span>
      {lines.slice(0, 3).map((line, index) => (
        <span key={`${line.at}-${index}`} style={{ marginLeft: 12 }}>
          {line.text} · {new Date(line.at).toLocaleTimeString()}
        </span>
      ))}
    </div>
  );
}
