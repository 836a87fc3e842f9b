"use client";

import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "~/components/error-message";
import { WatchedJobRun } from "~/components/workspace/WatchedJobRun";
import { useTRPC } from "~/trpc/react";

/**
 * "Generate masks (SAM 2)" for one image: SAM 2's automatic mask generator as a job (the seed
 * app's settings); when it ends, the objects panel reads the new set (`onGenerated`).
 */
export function Sam2ImageMasks(props: { projectId: string; imageId: string; model: string; onGenerated: () => void }) {
  const trpc = useTRPC();
  const generate = useMutation(trpc.sam2.generateImage.mutationOptions());
  const { projectId, imageId, model } = props;
  return (
    <div style={{ display: "grid", gap: 4, margin: "0 0 8px" }}>
      <div className="row" style={{ gap: 6 }}>
        <button
          type="button"
          data-testid="sam2-generate-image"
          disabled={generate.isPending}
          title={`SAM 2's automatic mask generator (${model}) on this image; the masks become objects`}
          onClick={() => generate.mutate({ projectId, imageId, model })}
        >
          Generate masks (SAM 2)
        </button>
        {generate.error && <span className="error">{errorMessage(generate.error)}</span>}
      </div>
      {generate.data && (
        <WatchedJobRun
          key={generate.data.jobRunId}
          projectId={projectId}
          jobRunId={generate.data.jobRunId}
          onEnded={props.onGenerated}
          pendingText="Generating masks…"
        />
      )}
    </div>
  );
}
