"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useEffectEvent, useState } from "react";
import { errorMessage } from "~/components/error-message";
import { useProjectPage } from "~/components/projects/use-project-page";
import { LabelBar } from "~/components/workspace/LabelBar";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

type Queue = RouterOutputs["modelVersion"]["leastConfidentImages"];
type QueuedImage = Queue["images"][number];

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))
  );
}

/**
 * Labelling, least confident first: the unlabelled images the project's settings predicted, the
 * "uncertain" and least probable first, one at a time. 1–9 label the image and move on, 0 clears
 * its label, ← → step back and forth. The order is the one the page opened with, so labelling
 * does not reshuffle it; labels are saved as in the workspace (annotation.setImageLabels).
 */
export function LabelQueue({ projectId, initialDatasetId }: { projectId: string; initialDatasetId?: string }) {
  const { trpc, queryClient, router, project, labelClasses } = useProjectPage(projectId);
  const [datasetId, setDatasetId] = useState(initialDatasetId ?? "");
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  const queue = useQuery({
    ...trpc.modelVersion.leastConfidentImages.queryOptions({ projectId, datasetId: datasetId || undefined }),
    // A snapshot: refetching would drop the images just labelled and shift the order under the user.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const pickDataset = (id: string) => {
    setDatasetId(id);
    router.replace(`/projects/${projectId}/label-queue${id ? `?datasetId=${id}` : ""}`);
  };

  if (queue.error) return <p className="error">{errorMessage(queue.error)}</p>;
  return (
    <>
      <p className="muted">
        <Link href="/projects">Projects</Link> /{" "}
        <Link href={`/projects/${projectId}`}>{project.data?.name ?? "…"}</Link> /
      </p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>Label, least confident first</h1>
        <select aria-label="Images of" value={datasetId} onChange={(e) => pickDataset(e.target.value)}>
          <option value="">Every dataset</option>
          {datasets.data?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      {!queue.data || !project.data || !labelClasses.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <QueueSteps
          // A new queue (another dataset) starts from its first image.
          key={datasetId}
          projectId={projectId}
          queue={queue.data}
          canLabel={project.data.can.annotate}
          labelClasses={labelClasses.data}
          onLabelled={() => {
            // The grid and the Models panel (a built-in model's scores on the labels) read labels.
            void queryClient.invalidateQueries({ queryKey: trpc.dataset.images.queryKey() });
            void queryClient.invalidateQueries({ queryKey: trpc.modelVersion.list.queryKey() });
            void queryClient.invalidateQueries({ queryKey: trpc.modelVersion.trainingSet.queryKey() });
            // Other queues (the Models panel's count) refresh; this one stays as it opened.
            void queryClient.invalidateQueries({
              queryKey: trpc.modelVersion.leastConfidentImages.queryKey(),
              refetchType: "inactive",
            });
          }}
        />
      )}
    </>
  );
}

function QueueSteps(props: {
  projectId: string;
  queue: Queue;
  canLabel: boolean;
  labelClasses: { id: string; name: string; color: string }[];
  onLabelled: () => void;
}) {
  const { projectId, queue, labelClasses } = props;
  const trpc = useTRPC();
  const [position, setPosition] = useState(0);
  /** Labels given on this page, by image id (null: cleared). */
  const [given, setGiven] = useState<ReadonlyMap<string, string | null>>(new Map());
  const save = useMutation(trpc.annotation.setImageLabels.mutationOptions({ onSuccess: props.onLabelled }));
  const images = queue.images;
  const current: QueuedImage | undefined = images[position];
  const next = images[position + 1];

  // The next image loads while this one is being looked at.
  useEffect(() => {
    if (!next) return;
    const preload = new Image();
    preload.src = `/api/images/${next.imageId}/display`;
  }, [next]);

  const label = (labelClassId: string | null) => {
    if (!current || !props.canLabel) return;
    setGiven((before) => new Map(before).set(current.imageId, labelClassId));
    save.mutate({ projectId, imageIds: [current.imageId], labelClassId });
    // Labelling moves on; clearing stays to pick another class.
    if (labelClassId !== null) setPosition((p) => Math.min(p + 1, images.length));
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^[0-9]$/.test(event.key)) {
      const labelClass = event.key === "0" ? null : labelClasses[Number(event.key) - 1];
      if (labelClass === undefined) return;
      event.preventDefault();
      label(labelClass?.id ?? null);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      setPosition((p) => Math.max(0, Math.min(images.length, p + (event.key === "ArrowLeft" ? -1 : 1))));
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const labelledHere = [...given.values()].filter((id) => id !== null).length;
  const summary = (
    <p className="muted" data-testid="queue-summary">
      {images.length < queue.total ? `The ${images.length} least confident of ${queue.total}` : `${queue.total}`}{" "}
      unlabelled images with a prediction under the project&apos;s settings v{queue.settingsVersion} · {labelledHere}{" "}
      labelled here
      {props.canLabel ? "" : " · only annotators and above can label"}
    </p>
  );
  if (images.length === 0) {
    return (
      <section className="panel" data-testid="label-queue">
        <p className="muted" data-testid="queue-empty">
          {queue.note ?? "Nothing to label: every image with a prediction under the project's settings has a label."}
        </p>
      </section>
    );
  }
  if (!current) {
    return (
      <section className="panel" data-testid="label-queue">
        {summary}
        <p data-testid="queue-done">
          End of the queue. <Link href={`/projects/${projectId}`}>Retrain from your labels</Link> on the project page,
          or step back with ←.
        </p>
        {save.error && <p className="error">{errorMessage(save.error)}</p>}
      </section>
    );
  }
  return (
    <section className="panel" data-testid="label-queue">
      {summary}
      <div className="row" style={{ justifyContent: "space-between", marginBottom: 8 }}>
        <div>
          <strong data-testid="queue-file">{current.fileName}</strong>{" "}
          <span className="muted">{current.datasetName}</span>
          <div>
            <span
              className="badge"
              data-testid="queue-prediction"
              title="Predicted class and its calibrated probability"
            >
              {current.prediction} {current.probability === null ? "" : `${(current.probability * 100).toFixed(1)} %`}
            </span>{" "}
            {current.uncertainReason && (
              <span
                className="badge"
                style={{ background: "#f0a02033", color: "var(--ink)" }}
                title={current.uncertainReason}
              >
                uncertain: {current.uncertainReason}
              </span>
            )}
          </div>
        </div>
        <div className="row">
          <button
            type="button"
            disabled={position === 0}
            onClick={() => setPosition(position - 1)}
            title="Previous (←)"
          >
            ← Previous
          </button>
          <span className="muted" data-testid="queue-position">
            {position + 1} of {images.length}
          </span>
          <button type="button" onClick={() => setPosition(position + 1)} title="Skip (→)">
            Skip →
          </button>
          <Link href={`/projects/${projectId}/images/${current.imageId}`}>Open in the workspace</Link>
        </div>
      </div>
      <LabelBar
        classes={labelClasses}
        current={given.get(current.imageId) ?? null}
        canLabel={props.canLabel}
        onLabel={label}
        pending={false}
      />
      {save.error && <p className="error">{errorMessage(save.error)}</p>}
      {/* The display rendition, as the workspace draws it; an authenticated route with ETags. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        key={current.imageId}
        src={`/api/images/${current.imageId}/display`}
        alt={current.fileName}
        data-testid="queue-image"
        style={{ display: "block", maxWidth: "100%", maxHeight: "70vh", margin: "8px auto 0", background: "#111" }}
      />
    </section>
  );
}
