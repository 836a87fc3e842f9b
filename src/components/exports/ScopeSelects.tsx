"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/**
 * What results to show or download: the whole project or one dataset ("" or its id), and which
 * settings version ("" for the project's current settings, resolved by the server, else a saved
 * version's number as text). Shared by the exports panel and the results view.
 */
export function ScopeSelects({
  projectId,
  scopeLabel,
  datasetId,
  onDatasetId,
  settingsVersion,
  onSettingsVersion,
  settingsTestId,
}: {
  projectId: string;
  scopeLabel: string;
  datasetId: string;
  onDatasetId: (value: string) => void;
  settingsVersion: string;
  onSettingsVersion: (value: string) => void;
  settingsTestId: string;
}) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  // Always re-read: a dataset run pins the current settings as a new version.
  const versions = useQuery(trpc.settings.list.queryOptions({ projectId }, { staleTime: 0 }));
  const current = useQuery(trpc.settings.get.queryOptions({ projectId }, { staleTime: 0 }));
  return (
    <>
      <select aria-label={scopeLabel} value={datasetId} onChange={(e) => onDatasetId(e.target.value)}>
        <option value="">Whole project</option>
        {datasets.data?.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Settings version"
        data-testid={settingsTestId}
        value={settingsVersion}
        onChange={(e) => onSettingsVersion(e.target.value)}
      >
        <option value="">
          Current settings
          {current.data ? ` (${current.data.version === 0 ? "defaults" : `v${current.data.version}`})` : ""}
        </option>
        {versions.data?.map((v) => (
          <option key={v.version} value={String(v.version)}>
            Settings v{v.version} ({new Date(v.createdAt ?? 0).toLocaleDateString()})
          </option>
        ))}
      </select>
    </>
  );
}
