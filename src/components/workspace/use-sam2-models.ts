"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { sam2Availability } from "./sam2-availability";

/** The installed SAM 2 models (sam2.models) and what they allow; the list rarely changes. */
export function useSam2Models(projectId: string) {
  const trpc = useTRPC();
  const query = useQuery(trpc.sam2.models.queryOptions({ projectId }, { staleTime: 60_000 }));
  return { models: query.data, availability: sam2Availability(query.data, query.error) };
}
