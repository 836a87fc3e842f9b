"use client";

import { useQuery } from "@tanstack/react-query";
import { capabilitiesOf } from "~/core/roles";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

/** What the caller may do in a project, as `project.get` reports it (`capabilitiesOf(role)`). */
export type ProjectCan = RouterOutputs["project"]["get"]["can"];

/** Nothing, until the server has said otherwise. */
const NOTHING: ProjectCan = capabilitiesOf(null);

/**
 * The caller's capabilities in the project, from the server's `project.get` (shared, cached
 * query). The UI only hides what the server would refuse anyway; every procedure checks again.
 */
export function useProjectCan(projectId: string): ProjectCan {
  const trpc = useTRPC();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  return project.data?.can ?? NOTHING;
}
