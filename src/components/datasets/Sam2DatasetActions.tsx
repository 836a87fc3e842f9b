"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ChoiceSelect } from "~/components/choice-select";
import { errorMessage } from "~/components/error-message";
import { useProjectCan } from "~/components/projects/use-project-can";
import { useSam2Models } from "~/components/workspace/use-sam2-models";
import { useTRPC } from "~/trpc/react";

/**
 * The dataset's SAM 2 runs, for those who start jobs: "Prepare SAM" computes every image's
 * embedding (so that clicks on the canvas are answered at once), "Generate masks" runs the
 * automatic mask generator on every image (objects of method "sam2"). Both are background jobs
 * whose progress and cancel show in Sam2DatasetProgress. Without a ready model both stay visible,
 * disabled, with the line that says how to install one.
 */
export function Sam2DatasetActions(props: { projectId: string; datasetId: string; hasImages: boolean }) {
  const { projectId, datasetId } = props;
  const trpc = useTRPC();
  const canManage = useProjectCan(projectId).manageJobs;
  const { availability } = useSam2Models(projectId);
  const [picked, setPicked] = useState<string | null>(null);
  const start = useMutation(trpc.sam2.startDataset.mutationOptions());
  if (!canManage) return null;
  const model = picked && availability.readyModels.includes(picked) ? picked : availability.defaultModel;
  const disabled = !availability.enabled || !props.hasImages || start.isPending;
  const run = (task: "embed" | "generate") => start.mutate({ projectId, datasetId, task, ...(model && { model }) });

  return (
    <span className="row" data-testid="sam2-dataset-actions">
      <button
        type="button"
        data-testid="sam2-prepare-dataset"
        disabled={disabled}
        aria-describedby={availability.reason ? "sam2-dataset-unavailable" : undefined}
        title="Compute every image's SAM 2 embedding now, so that the SAM tool answers clicks at once"
        onClick={() => run("embed")}
      >
        Prepare SAM for this dataset
      </button>
      <button
        type="button"
        data-testid="sam2-generate-dataset"
        disabled={disabled}
        aria-describedby={availability.reason ? "sam2-dataset-unavailable" : undefined}
        title="SAM 2's automatic mask generator on every image (the seed app's settings); the masks become objects"
        onClick={() => run("generate")}
      >
        Generate masks (SAM 2)
      </button>
      {availability.readyModels.length > 1 && model && (
        <ChoiceSelect
          label="SAM 2 model of the dataset runs"
          testId="sam2-dataset-model"
          value={model}
          options={availability.readyModels}
          onChange={setPicked}
        />
      )}
      {availability.reason && (
        <span id="sam2-dataset-unavailable" className="muted" data-testid="sam2-dataset-unavailable">
          {availability.reason}
        </span>
      )}
      {start.data?.alreadyRunning && <span className="muted">Already running: see its progress.</span>}
      {start.error && <span className="error">{errorMessage(start.error)}</span>}
    </span>
  );
}
