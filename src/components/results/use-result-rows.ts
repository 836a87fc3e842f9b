"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { columnsOf } from "~/core/results/result-columns";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

export type ResultRow = RouterOutputs["results"]["table"]["rows"][number];

/**
 * Every row of the scope under the settings version, read page after page (500 images a page)
 * until the last; the columns of all pages merged in display order, and every tag key present.
 */
export function useResultRows(options: { projectId: string; datasetId?: string; settingsVersion?: number }) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.results.table.infiniteQueryOptions(
      { ...options, limit: 500 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const pages = query.data?.pages;
  return useMemo(() => {
    const rows = pages?.flatMap((page) => page.rows) ?? [];
    return {
      rows,
      columns: columnsOf(pages?.flatMap((page) => page.columns.map((column) => column.key)) ?? []),
      tagKeys: [...new Set(rows.flatMap((row) => Object.keys(row.tags)))].sort(),
      settingsVersion: pages?.[0]?.settingsVersion,
      loading: query.isPending || hasNextPage,
      error: query.error,
    };
  }, [pages, query.isPending, query.error, hasNextPage]);
}
