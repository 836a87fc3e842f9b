"use client";

import type { ConflictChoice } from "./use-region-sync";

/** A refused save: what happened, and the three ways out. The user's version stays on screen meanwhile. */
export function ConflictBanner(props: {
  conflicts: ReadonlyMap<string, string>;
  onResolve: (key: string, choice: ConflictChoice) => void;
}) {
  if (props.conflicts.size === 0) return null;
  return (
    <div
      role="alert"
      data-testid="conflict-banner"
      style={{
        border: "1px solid #f0c5c1",
        background: "#fff4f2",
        borderRadius: 8,
        padding: 12,
        margin: "8px 0",
      }}
    >
      {[...props.conflicts].map(([key, message]) => (
        <div key={key} style={{ display: "grid", gap: 6 }}>
          <strong className="error" data-testid="conflict-message">
            {message}
          </strong>
          <span className="muted">Your version is still shown here, unsaved. Choose what to keep:</span>
          <div className="row">
            <button type="button" data-testid="conflict-keep-mine" onClick={() => props.onResolve(key, "mine-as-new")}>
              Keep mine as a new region
            </button>
            <button type="button" data-testid="conflict-load-theirs" onClick={() => props.onResolve(key, "theirs")}>
              Discard mine, load theirs
            </button>
            <button
              type="button"
              className="danger"
              data-testid="conflict-overwrite"
              onClick={() => props.onResolve(key, "overwrite")}
            >
              Overwrite theirs with mine
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
