"use client";

import { useImagePresence } from "./use-image-presence";

function initials(name: string): string {
  const parts = name
    .replace(/@.*/, "")
    .split(/[\s._-]+/)
    .filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts[1]?.[0] ?? "")).toUpperCase();
}

/** Round badges of everyone else viewing this image (heartbeat-based; they expire). */
export function PresenceAvatars({ projectId, imageId }: { projectId: string; imageId: string }) {
  const { viewers } = useImagePresence({ projectId, imageId });
  const others = viewers.filter((viewer) => !viewer.isYou);
  if (others.length === 0) return null;
  return (
    <div className="row" data-testid="presence" aria-label="Also viewing this image" style={{ gap: 4 }}>
      <span className="muted">Also here:</span>
      {others.map((viewer) => (
        <span
          key={viewer.userId}
          title={viewer.name}
          data-testid="presence-avatar"
          style={{
            display: "inline-flex",
            alignItems: "center",
            justifyContent: "center",
            width: 26,
            height: 26,
            borderRadius: 13,
            background: "#2563eb",
            color: "white",
            fontSize: "0.7rem",
            fontWeight: 600,
          }}
        >
          {initials(viewer.name)}
        </span>
      ))}
    </div>
  );
}
