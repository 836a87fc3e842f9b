"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";

/**
 * What a page inside a project (a dataset, an image) starts from: the tRPC helpers, the query
 * client and router, and the project's `project.get` and label classes (shared, cached queries).
 */
export function useProjectPage(projectId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const labelClasses = useQuery(trpc.labelClass.list.queryOptions({ projectId }));
  return { trpc, queryClient, router, project, labelClasses };
}
