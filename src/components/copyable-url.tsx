"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";

/**
 * The state behind a panel of secret links (invitations, share links): `onCreated` keeps the new
 * link's path (`prefix` + token) to show once and refreshes the list under `listKey`, as `refresh` does.
 */
export function useCreatedLink(prefix: string, listKey: QueryKey) {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: listKey });
  const onCreated = (result: { token: string }) => {
    setCreated(`${prefix}${result.token}`);
    refresh();
  };
  return { created, refresh, onCreated };
}

/** A freshly created secret link: shown once (only its hash is stored), with a copy button. */
export function CopyableUrl({ path, testId }: { path: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const url = typeof window === "undefined" ? path : new URL(path, window.location.origin).toString();
  return (
    <div className="row" style={{ marginTop: 8 }}>
      <input
        readOnly
        value={url}
        data-testid={testId}
        style={{ flex: 1, minWidth: 320 }}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(url).then(() => setCopied(true));
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <span className="muted">Shown once: copy it now.</span>
    </div>
  );
}
