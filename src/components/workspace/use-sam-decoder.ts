"use client";

import { TRPCClientError } from "@trpc/client";
import { useEffect, useState } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { stepToDecode, withStepAnswer, type SamDraft, type SamStep } from "~/components/canvas/tools/sam/sam-draft";
import { errorMessage } from "~/components/error-message";
import { useTRPCClient, type RouterInputs } from "~/trpc/react";

type DecodePrompt = RouterInputs["sam2"]["decode"]["prompt"];

/** One step of the SAM tool's draft as sam2.decode's prompt (image pixels; label 1 / 0). */
export function decodePrompt(step: Pick<SamStep, "points" | "box">, previousHandle: string | null): DecodePrompt {
  return {
    points: step.points.map((point) => ({ x: point.x, y: point.y, label: point.positive ? 1 : 0 })),
    ...(step.box && { box: step.box }),
    ...(previousHandle && { previous: previousHandle }),
  };
}

/** The last answer's timings, for the panel: in the browser, and the server's own share. */
export type SamDecodeTiming = { roundTripMs: number; serverMs: number; decoderMs: number };

function samDraft(editor: AnnotationEditor): SamDraft | null {
  return editor.draft?.kind === "sam" ? editor.draft : null;
}

/**
 * Answers the SAM tool's prompt steps with sam2.decode, one request at a time: when an answer
 * arrives and the user has clicked again meanwhile, only the newest step is asked next, refining
 * the newest mask known (its handle). A handle the server no longer holds (another replica, or
 * expired) is dropped and the step asked again without it. Requests start from the editor's change
 * notification itself, not from a React effect after the next paint: a frame less per click.
 */
export function useSamDecoder(options: {
  editor: AnnotationEditor;
  projectId: string;
  imageId: string;
  model: string | null;
  /** False until the image's embedding is ready (the server would refuse). */
  enabled: boolean;
}) {
  const { editor, projectId, imageId, model, enabled } = options;
  const client = useTRPCClient();
  const [timing, setTiming] = useState<SamDecodeTiming | null>(null);

  useEffect(() => {
    if (!enabled || !model) return;
    let disposed = false;
    let inFlight = false;
    const ask = async (step: SamStep, previousHandle: string | null) => {
      const started = performance.now();
      const answer = await client.sam2.decode.mutate({
        projectId,
        imageId,
        model,
        prompt: decodePrompt(step, previousHandle),
      });
      return { answer, roundTripMs: performance.now() - started };
    };
    const pump = () => {
      if (disposed || inFlight) return;
      const next = stepToDecode(samDraft(editor));
      if (!next) return;
      inFlight = true;
      ask(next.step, next.previousHandle)
        .catch((error: unknown) => {
          const expired = next.previousHandle && error instanceof TRPCClientError && error.data?.code === "BAD_REQUEST";
          if (expired) return ask(next.step, null);
          throw error;
        })
        .then(
          ({ answer, roundTripMs }) => {
            if (disposed) return;
            setTiming({ roundTripMs, serverMs: answer.timingsMs.total, decoderMs: answer.timingsMs.decoder });
            const draft = samDraft(editor);
            if (!draft) return;
            editor.draft = withStepAnswer(draft, next.step.id, {
              mask: { geometry: answer.mask, handle: answer.handle, score: answer.score, area: answer.area },
            });
          },
          (error: unknown) => {
            const draft = samDraft(editor);
            if (!disposed && draft) editor.draft = withStepAnswer(draft, next.step.id, { error: errorMessage(error) });
          },
        )
        .finally(() => {
          inFlight = false;
          // Shows the answer, and (through pump, subscribed) asks for a newer step if one waits.
          if (!disposed) editor.notify();
        });
    };
    const unsubscribe = editor.subscribe(pump);
    pump();
    return () => {
      disposed = true;
      unsubscribe();
    };
  }, [client, editor, projectId, imageId, model, enabled]);

  return { timing };
}
