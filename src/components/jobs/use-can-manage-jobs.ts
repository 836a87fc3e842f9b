"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** Whether the viewer may start, cancel and retry jobs (EDITOR or OWNER; the server checks too). */
export function useCanManageJobs(projectId: string): boolean {
  const trpc = useTRPC();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  return project.data?.role === "OWNER" || project.data?.role === "EDITOR";
}
