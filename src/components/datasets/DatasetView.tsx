"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useEffectEvent, useMemo, useState } from "react";
import { errorMessage } from "~/components/error-message";
import { CollaborationBar } from "~/components/presence/CollaborationBar";
import { useProjectCan } from "~/components/projects/use-project-can";
import { useProjectPage } from "~/components/projects/use-project-page";
import { AnalyseDatasetButton } from "~/components/jobs/AnalyseDatasetButton";
import { DatasetProgress } from "~/components/jobs/DatasetProgress";
import { UploadPanel } from "./UploadPanel";
import { LabelClassManager } from "~/components/label-classes/LabelClassManager";
import type { RouterOutputs } from "~/trpc/react";
import {
  DEFAULT_GRID_FILTER,
  disagrees,
  filterAndSort,
  UNCERTAIN_CLASS,
  type GridFilter,
  type GridItem,
} from "./grid-filters";
import { DatasetTitle } from "./DatasetTitle";
import { GridToolbar } from "./GridToolbar";
import { SelectionActions } from "./SelectionActions";
import { Sam2DatasetActions } from "./Sam2DatasetActions";
import { Sam2DatasetProgress } from "./Sam2DatasetProgress";
import { ImageGrid, type GridCard } from "./ImageGrid";
import { ConditionFilter, SetConditionForm } from "./ConditionControls";

type ImageSummary = RouterOutputs["dataset"]["images"]["images"][number];

function describe(image: ImageSummary): string {
  const parts = [`${image.width}×${image.height}`, `${image.bitDepth}-bit`, image.format.toUpperCase()];
  if (image.pixelSizeUm) parts.push(`${image.pixelSizeUm.toPrecision(3)} µm/px`);
  if (image.pageCount > 1) parts.push(`page 1 of ${image.pageCount}`);
  return parts.join(" · ");
}

/** A dataset: upload, then browse, filter, sort, select and label its images. */
export function DatasetView({ projectId, datasetId }: { projectId: string; datasetId: string }) {
  const { trpc, queryClient, router, project, labelClasses } = useProjectPage(projectId);
  const images = useQuery(trpc.dataset.images.queryOptions({ projectId, datasetId }));
  const predictions = useQuery(trpc.analysis.predictions.queryOptions({ projectId, datasetId }));
  const conditions = useQuery(trpc.conditions.forDataset.queryOptions({ projectId, datasetId }));
  const conditionsKey = trpc.conditions.forDataset.queryKey({ projectId, datasetId });
  const [filter, setFilter] = useState<GridFilter>(DEFAULT_GRID_FILTER);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const imagesKey = trpc.dataset.images.queryKey({ projectId, datasetId });
  const setLabels = useMutation(
    trpc.annotation.setImageLabels.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: imagesKey }),
    }),
  );

  const can = useProjectCan(projectId);
  const canUpload = can.upload;
  const canLabel = can.annotate;
  const classes = useMemo(() => labelClasses.data ?? [], [labelClasses.data]);

  const items = useMemo((): GridCard[] => {
    const byImage = new Map((predictions.data ?? []).map((p) => [p.imageId, p]));
    const classById = new Map(classes.map((c) => [c.id, c]));
    return (images.data?.images ?? []).map((image) => {
      const prediction = byImage.get(image.id);
      const labelClass = image.label ? classById.get(image.label.labelClassId) : undefined;
      const item: GridItem = {
        id: image.id,
        fileName: image.fileName,
        createdAt: image.createdAt,
        prediction: prediction?.prediction ?? null,
        confidence: prediction?.confidence ?? null,
        uncertainReason: prediction?.uncertainReason ?? null,
        labelClassId: image.label?.labelClassId ?? null,
        labelName: labelClass?.name ?? null,
        tags: conditions.data?.byImage[image.id] ?? [],
      };
      return {
        ...item,
        describe: describe(image),
        labelColor: labelClass?.color ?? null,
        disagrees: disagrees(item),
      };
    });
  }, [images.data, predictions.data, classes, conditions.data]);
  const shown = useMemo(() => filterAndSort(items, filter) as GridCard[], [items, filter]);
  const classNames = useMemo(
    () =>
      [
        ...new Set([
          ...classes.map((c) => c.name),
          ...items.flatMap((i) => (i.prediction ? [i.prediction] : [])),
          // "uncertain" filters the images whose prediction is uncertain.
          ...(items.some((i) => i.uncertainReason) ? [UNCERTAIN_CLASS] : []),
        ]),
      ].sort(),
    [classes, items],
  );

  const labelSelection = (labelClassId: string | null) => {
    if (selected.size === 0) return;
    setLabels.mutate({ projectId, imageIds: [...selected], labelClassId });
  };
  // 1..9 label the selection, 0 clears, wherever the focus is (except in form fields).
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (
      target &&
      ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName) &&
      (target as HTMLInputElement).type !== "checkbox"
    )
      return;
    if (target?.closest("dialog")) return; // a confirmation has the keyboard
    if (!canLabel || selected.size === 0 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!/^[0-9]$/.test(event.key)) return;
    const labelClass = event.key === "0" ? null : classes[Number(event.key) - 1];
    if (labelClass === undefined) return;
    event.preventDefault();
    labelSelection(labelClass?.id ?? null);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  if (images.error) return <p className="error">{errorMessage(images.error)}</p>;

  return (
    <>
      <p className="muted">
        <Link href="/projects">Projects</Link> /{" "}
        <Link href={`/projects/${projectId}`}>{project.data?.name ?? "…"}</Link> /
      </p>
      <DatasetTitle projectId={projectId} datasetId={datasetId} name={images.data?.dataset.name} />
      <CollaborationBar projectId={projectId} datasetId={datasetId} />
      <div className="row" style={{ marginBottom: 12 }}>
        <AnalyseDatasetButton projectId={projectId} datasetId={datasetId} disabled={!images.data?.images.length} />
        <Sam2DatasetActions projectId={projectId} datasetId={datasetId} hasImages={!!images.data?.images.length} />
        <Link href={`/projects/${projectId}/results?datasetId=${datasetId}`} data-testid="results-link">
          Results
        </Link>
        <Link href={`/projects/${projectId}/label-queue?datasetId=${datasetId}`} data-testid="label-queue-link">
          Label least confident first
        </Link>
      </div>
      <DatasetProgress projectId={projectId} datasetId={datasetId} />
      <Sam2DatasetProgress projectId={projectId} datasetId={datasetId} />
      {canUpload && (
        <UploadPanel
          projectId={projectId}
          datasetId={datasetId}
          onUploaded={() => {
            void queryClient.invalidateQueries({ queryKey: imagesKey });
            void queryClient.invalidateQueries({ queryKey: conditionsKey });
          }}
        />
      )}
      <section className="panel">
        <h2>
          Images <span className="badge">{images.data?.images.length ?? 0}</span>
        </h2>
        {images.isPending && <p className="muted">Loading…</p>}
        {images.data?.images.length === 0 && (
          <p className="muted">No images yet{canUpload ? ": drop some above." : "."}</p>
        )}
        {images.data && images.data.images.length > 0 && (
          <>
            <GridToolbar
              filter={filter}
              onFilter={setFilter}
              classNames={classNames}
              shown={shown.length}
              total={items.length}
              selectedCount={selected.size}
              onSelectAll={() => setSelected(new Set(shown.map((card) => card.id)))}
              onClearSelection={() => setSelected(new Set())}
              classes={classes}
              canLabel={canLabel}
              onLabelSelection={labelSelection}
              labelling={setLabels.isPending}
            />
            <ConditionFilter
              keys={conditions.data?.datasetKeys ?? []}
              value={filter.tag ?? null}
              onChange={(tag) => setFilter({ ...filter, tag })}
            />
            {can.editConditions && selected.size > 0 && (
              <SetConditionForm
                projectId={projectId}
                imageIds={[...selected]}
                keys={conditions.data?.projectKeys ?? []}
                onChanged={() => void queryClient.invalidateQueries({ queryKey: conditionsKey })}
              />
            )}
            <SelectionActions
              projectId={projectId}
              datasetId={datasetId}
              selected={selected}
              images={items}
              onDone={() => setSelected(new Set())}
            />
            {setLabels.error && <p className="error">{errorMessage(setLabels.error)}</p>}
            {shown.length === 0 && <p className="muted">No image matches these filters.</p>}
            <ImageGrid
              cards={shown}
              selected={selected}
              onSelect={setSelected}
              onOpen={(imageId) => router.push(`/projects/${projectId}/images/${imageId}`)}
            />
            <p className="muted" style={{ fontSize: "0.78rem" }}>
              Keys in the grid: arrows move · Enter opens · Space selects (Shift extends) · Ctrl+A all · Esc clears ·
              1–9 label the selection · 0 clears its label
            </p>
          </>
        )}
      </section>
      {project.data && <LabelClassManager projectId={projectId} canEdit={can.manageLabelClasses} />}
    </>
  );
}
