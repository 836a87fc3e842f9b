"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { ObjectsOverlay } from "~/components/canvas/layers/ObjectsLayer";
import { colormapLut } from "~/core/analysis/colormaps";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { useTRPC } from "~/trpc/react";
import { loadLabelMap, type LabelMap } from "./label-map";
import { descriptorValue, type DescriptorId, type ObjectRecord, type ObjectSetView } from "./object-set";

/** The colour map of the objects overlay and its colour bar. */
export const OBJECTS_COLORMAP = "viridis" as const;

/** The DTO as the panel reads it (records are plain JSON on the wire). */
function asView(dto: unknown): ObjectSetView | null {
  return (dto as ObjectSetView | null | undefined) ?? null;
}

/**
 * The image's object set (objects.forImage), running it (objects.run), its decoded label map,
 * the selected object and the descriptor the outlines are coloured by.
 */
export function useObjects(options: { projectId: string; imageId: string }) {
  const { projectId, imageId } = options;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // forImage answers for given params (the defaults when absent): after a run, the query follows
  // the params that were run, so a refetch returns the same set.
  const [applied, setApplied] = useState<ObjectSegmentationParams | undefined>(undefined);
  const query = useQuery(trpc.objects.forImage.queryOptions({ projectId, imageId, params: applied }));
  const run = useMutation(
    trpc.objects.run.mutationOptions({
      onSuccess: (data, input) => {
        const params = input.params as ObjectSegmentationParams | undefined;
        queryClient.setQueryData(trpc.objects.forImage.queryKey({ projectId, imageId, params }), data);
        setApplied(params);
      },
    }),
  );
  const set = asView(query.data);

  // ---------- label map ----------
  const [loaded, setLoaded] = useState<{ url: string; map: LabelMap | null; error: string | null } | null>(null);
  const url = set?.labelMapUrl ?? null;
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    loadLabelMap(url).then(
      (map) => !cancelled && setLoaded({ url, map, error: null }),
      (error: unknown) =>
        !cancelled &&
        setLoaded({ url, map: null, error: error instanceof Error ? error.message : "Could not load the label map" }),
    );
    return () => {
      cancelled = true;
    };
  }, [url]);
  const labelMap = loaded && loaded.url === url ? loaded.map : null;
  const labelMapError = loaded && loaded.url === url ? loaded.error : null;

  // ---------- selection and colouring ----------
  const [selection, setSelection] = useState<{ setId: string; label: number } | null>(null);
  const selected = set && selection?.setId === set.id ? selection.label : null;
  const select = (label: number | null) => setSelection(set && label !== null ? { setId: set.id, label } : null);
  const [colorBy, setColorBy] = useState<DescriptorId>("area");

  const byLabel = useMemo(() => new Map((set?.objects ?? []).map((o) => [o.label, o])), [set]);
  const range = useMemo(() => valueRange(set?.objects ?? [], colorBy), [set, colorBy]);
  const overlay = useMemo<ObjectsOverlay | null>(() => {
    if (!set || !labelMap) return null;
    const lut = colormapLut(OBJECTS_COLORMAP);
    const colorOf = (label: number): readonly number[] => {
      const record = byLabel.get(label);
      const value = record ? descriptorValue(record, colorBy, null) : null;
      if (value === null || !range) return [200, 200, 200, 255];
      const t = range.max > range.min ? (value - range.min) / (range.max - range.min) : 0.5;
      const i = Math.max(0, Math.min(255, Math.round(t * 255)));
      return [lut[i * 4]!, lut[i * 4 + 1]!, lut[i * 4 + 2]!, 255];
    };
    const record = selected === null ? undefined : byLabel.get(selected);
    return {
      labelMap,
      colorOf,
      colorKey: `${set.id}:${colorBy}`,
      selected: record ? { label: record.label, bbox: record.bbox } : null,
    };
  }, [set, labelMap, byLabel, colorBy, range, selected]);

  return {
    set,
    loading: query.isLoading,
    error: query.error,
    run: (params: ObjectSegmentationParams) => run.mutate({ projectId, imageId, params }),
    running: run.isPending,
    runError: run.error,
    labelMap,
    labelMapError,
    selected,
    select,
    colorBy,
    setColorBy,
    /** Range of the colouring descriptor in pixels (the colour bar converts). */
    range,
    overlay,
  };
}

export type ObjectsState = ReturnType<typeof useObjects>;

function valueRange(records: readonly ObjectRecord[], id: DescriptorId): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const record of records) {
    const value = descriptorValue(record, id, null);
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return min <= max ? { min, max } : null;
}
