"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { ImagePyramid } from "~/components/canvas/image-pyramid";
import type { ObjectsOverlay } from "~/components/canvas/layers/ObjectsLayer";
import { colormapLut } from "~/core/analysis/colormaps";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { useTRPC } from "~/trpc/react";
import { loadLabelMap, type LabelMap } from "./label-map";
import { descriptorValue, type DescriptorId, type ObjectRecord, type ObjectSetView } from "./object-set";
import { useObjectsPreview } from "./use-objects-preview";

/** The colour map of the objects overlay and its colour bar. */
export const OBJECTS_COLORMAP = "viridis" as const;
/** Outline colour when they are not coloured by a descriptor (RGBA). */
export const PLAIN_OUTLINE: readonly number[] = [0, 229, 255, 255];

/** What the outlines are coloured by: a descriptor, or one colour ("none"). */
export type ColorBy = DescriptorId | "none";

/** Where the shown objects come from: classical segmentation or SAM 2's automatic masks. */
export type ObjectsMethod = "classical" | "sam2";

/** The DTO as the panel reads it (records are plain JSON on the wire). */
function asView(dto: unknown): ObjectSetView | null {
  return (dto as ObjectSetView | null | undefined) ?? null;
}

/**
 * Which set the panel and the layer show: the one picked, else the classical one, else SAM 2's (a
 * lab may only generate masks); never a SAM 2 pick without a SAM 2 set (e.g. its generation failed),
 * where the choice would not even be offered.
 */
export function shownObjectsMethod(
  picked: ObjectsMethod | null,
  available: { classical: boolean; sam2: boolean },
): ObjectsMethod {
  if (picked === "sam2" && !available.sam2) return "classical";
  return picked ?? (available.classical || !available.sam2 ? "classical" : "sam2");
}

/**
 * The image's object set (objects.forImage), running it (objects.run), its decoded label map,
 * the selected object, the descriptor the outlines are coloured by, and the parameters being
 * edited with their live preview.
 */
export function useObjects(options: {
  projectId: string;
  imageId: string;
  /** The displayed image (the preview's source) and the image's size. */
  pyramid?: ImagePyramid | null;
  image?: { width: number; height: number };
  /** The SAM 2 model whose automatic masks may be shown instead (null: none installed). */
  sam2Model?: string | null;
}) {
  const { projectId, imageId } = options;
  // Parameters edited since the last run (null: none): they are previewed.
  const [draft, setDraft] = useState<ObjectSegmentationParams | null>(null);
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
        setDraft(null);
        setMethod("classical");
      },
    }),
  );
  const classicalSet = asView(query.data);
  const sam2Model = options.sam2Model ?? null;
  const sam2Query = useQuery(
    trpc.sam2.objectSet.queryOptions(
      { projectId, imageId, model: sam2Model ?? undefined },
      { enabled: sam2Model !== null },
    ),
  );
  const sam2Set = sam2Model === null ? null : asView(sam2Query.data);
  // Shown: the set picked, else the classical one, else SAM 2's (a lab may only generate masks).
  const [picked, setMethod] = useState<ObjectsMethod | null>(null);
  const method = shownObjectsMethod(picked, { classical: classicalSet !== null, sam2: sam2Set !== null });
  const set = method === "sam2" ? sam2Set : classicalSet;

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
  const [colorBy, setColorBy] = useState<ColorBy>("area");

  const byLabel = useMemo(() => new Map((set?.objects ?? []).map((o) => [o.label, o])), [set]);
  const range = useMemo(() => valueRange(set?.objects ?? [], colorBy), [set, colorBy]);
  const overlay = useMemo<ObjectsOverlay | null>(() => {
    if (!set || !labelMap) return null;
    const lut = colormapLut(OBJECTS_COLORMAP);
    const colorOf = (label: number): readonly number[] => {
      if (colorBy === "none") return PLAIN_OUTLINE;
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

  const image = options.image ?? { width: set?.width ?? 1, height: set?.height ?? 1 };
  const preview = useObjectsPreview({
    pyramid: options.pyramid ?? null,
    image,
    storedWidth: set?.width ?? null,
    params: draft,
  });

  return {
    set,
    /** The classical set (its parameters fill the form whichever set is shown). */
    classicalSet,
    /** Which set is shown, the choice, and which sets exist (the choice is offered when both do). */
    method,
    setMethod,
    available: { classical: classicalSet !== null, sam2: sam2Set !== null },
    /** Asks for the SAM 2 set again (after a generation run). */
    refetchSam2: () => void sam2Query.refetch(),
    loading: query.isLoading || (method === "sam2" && sam2Query.isLoading),
    error: method === "sam2" ? sam2Query.error : query.error,
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
    /** The parameters being edited (null: none since the last run) and the preview of them. */
    draft,
    setDraft,
    preview,
    /** Each record by its label. */
    byLabel,
  };
}

export type ObjectsState = ReturnType<typeof useObjects>;

function valueRange(records: readonly ObjectRecord[], id: ColorBy): { min: number; max: number } | null {
  if (id === "none") return null;
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
