"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

type ImageAnnotations = RouterOutputs["annotation"]["forImage"] | undefined;

/**
 * The image's label: what the server has, or what the user just picked until the server's next
 * answer (a refetch, e.g. after the save or someone else's change) replaces it.
 */
export function useImageLabel(options: {
  projectId: string;
  imageId: string;
  datasetId: string;
  annotations: ImageAnnotations;
}) {
  const { projectId, imageId, datasetId, annotations } = options;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<{ over: ImageAnnotations; labelClassId: string | null } | null>(null);
  const labelId =
    picked && picked.over === annotations ? picked.labelClassId : (annotations?.label?.labelClassId ?? null);
  const save = useMutation(
    trpc.annotation.setImageLabels.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: trpc.annotation.forImage.queryKey({ projectId, imageId }),
        });
        // The dataset grid shows labels too.
        void queryClient.invalidateQueries({
          queryKey: trpc.dataset.images.queryKey({ projectId, datasetId }),
        });
      },
    }),
  );
  const { mutate } = save;
  const label = useCallback(
    (labelClassId: string | null) => {
      setPicked({ over: annotations, labelClassId });
      mutate({ projectId, imageIds: [imageId], labelClassId });
    },
    [annotations, mutate, projectId, imageId],
  );
  return { labelId, label, error: save.error };
}
