"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { currentStep } from "~/components/canvas/tools/sam/sam-draft";
import { SAM_KEYS_HINT } from "~/components/canvas/tools/sam/SamTool";
import { ChoiceSelect } from "~/components/choice-select";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import type { LabelClassOption } from "./LabelBar";
import { LabelClassSelect } from "./LabelClassSelect";
import type { Sam2Availability } from "./sam2-availability";
import { useSamDecoder } from "./use-sam-decoder";
import { WatchedJobRun } from "./WatchedJobRun";

/**
 * Under the toolbar, for those who draw: without a ready model, the one line saying how to install
 * one (the tool button is disabled); with one, the SAM panel while the tool is active.
 */
export function SamToolSlot(props: Parameters<typeof SamPanel>[0] & { canDraw: boolean }) {
  const { editor, availability } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  if (!props.canDraw) return null;
  if (!availability.enabled) {
    return availability.reason ? (
      <p
        id="sam-unavailable"
        className="muted"
        data-testid="sam-unavailable"
        style={{ fontSize: "0.8rem", margin: "0 0 6px" }}
      >
        {availability.reason}
      </p>
    ) : null;
  }
  return editor.toolId === "sam" ? <SamPanel {...props} /> : null;
}

/**
 * The SAM tool's panel, shown while the tool is active: which model (when several are installed),
 * the image's embedding (computed once by a job, with its progress, before clicks are answered),
 * the class the mask is accepted with, the state of the current mask and the keys.
 */
export function SamPanel(props: {
  editor: AnnotationEditor;
  projectId: string;
  image: { id: string; dataset: { id: string } };
  availability: Sam2Availability;
  classes: LabelClassOption[];
}) {
  const { editor, projectId, image, availability } = props;
  useSyncExternalStore(editor.subscribe, editor.getRevision, editor.getRevision);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const model = picked && availability.readyModels.includes(picked) ? picked : availability.defaultModel;
  const embeddingInput = { projectId, imageId: image.id, ...(model && { model }) };
  const embedding = useQuery(trpc.sam2.embedding.queryOptions(embeddingInput, { enabled: model !== null }));
  const prepare = useMutation(trpc.sam2.prepareImage.mutationOptions());
  const ready = embedding.data?.ready === true && embedding.data.model === model;
  const refreshEmbedding = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.sam2.embedding.queryKey(embeddingInput) });

  // The embedding is computed once per image and model; opening the tool asks for it.
  const needsEmbedding = embedding.data?.ready === false;
  const { mutate: startPrepare, isIdle: notAskedYet } = prepare;
  useEffect(() => {
    if (needsEmbedding && notAskedYet && model) startPrepare({ projectId, imageId: image.id, model });
  }, [needsEmbedding, notAskedYet, model, startPrepare, projectId, image.id]);

  const decoder = useSamDecoder({ editor, projectId, imageId: image.id, model, enabled: ready });
  const step = currentStep(editor.draft?.kind === "sam" ? editor.draft : null);

  return (
    <div className="panel" data-testid="sam-panel" style={{ padding: "6px 10px", marginBottom: 6 }}>
      <div className="row" style={{ gap: 8 }}>
        <strong>SAM 2</strong>
        {availability.readyModels.length > 1 && model && (
          <ChoiceSelect
            label="SAM 2 model"
            testId="sam-model"
            value={model}
            options={availability.readyModels}
            onChange={(name) => {
              editor.setTool("sam");
              setPicked(name);
            }}
          />
        )}
        {availability.readyModels.length === 1 && <span className="muted">{model}</span>}
        <LabelClassSelect
          label="Class of the accepted mask"
          testId="sam-class"
          classes={props.classes}
          value={editor.settings.labelClassId}
          onChange={(labelClassId) => editor.setSettings({ labelClassId })}
        />
        <span className="muted" data-testid="sam-status" data-ready={ready} aria-live="polite">
          {samStatus({
            ready,
            checking: embedding.isPending,
            preparing: !ready && (prepare.isPending || prepare.isSuccess),
            step,
          })}
        </span>
        {decoder.timing && (
          <span
            className="muted"
            data-testid="sam-timing"
            title="Browser round trip (the server's share, the decoder's)"
          >
            {Math.round(decoder.timing.roundTripMs)} ms ({Math.round(decoder.timing.serverMs)} ms server,{" "}
            {decoder.timing.decoderMs.toFixed(1)} ms decoder)
          </span>
        )}
      </div>
      {!ready && prepare.data && (
        <WatchedJobRun
          projectId={projectId}
          jobRunId={prepare.data.jobRunId}
          onEnded={refreshEmbedding}
          pendingText="Computing the embedding…"
        />
      )}
      {embedding.error && <p className="error">{errorMessage(embedding.error)}</p>}
      {prepare.error && <p className="error">{errorMessage(prepare.error)}</p>}
      <p className="muted" style={{ fontSize: "0.78rem", margin: "4px 0 0" }}>
        {SAM_KEYS_HINT}
      </p>
    </div>
  );
}

function samStatus(state: {
  ready: boolean;
  checking: boolean;
  preparing: boolean;
  step: ReturnType<typeof currentStep>;
}): string {
  if (state.checking) return "Checking the image's embedding…";
  if (!state.ready) return state.preparing ? "Computing the embedding…" : "The image's embedding is needed first.";
  if (!state.step) return "Ready: click the object.";
  if (state.step.error) return `No mask: ${state.step.error}`;
  if (state.step.mask?.area === 0) return "Empty mask: click inside the object.";
  if (state.step.mask) return `Mask ready (predicted IoU ${state.step.mask.score.toFixed(2)}): Enter accepts.`;
  return "Computing the mask…";
}
