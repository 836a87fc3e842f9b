/**
 * Keyset pagination for exports: pages of rows ordered by id, each fetched only when the consumer
 * asks for it, so an export of any size holds one page in memory at a time.
 */
export async function* cursorPages<Row extends { id: string }>(
  fetchPage: (page: { cursor: string | undefined; take: number }) => Promise<Row[]>,
  pageSize: number,
): AsyncGenerator<Row[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await fetchPage({ cursor, take: pageSize });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** Prisma's arguments for one keyset page: `where id > cursor`, ordered by id. */
export function keysetArgs(page: { cursor: string | undefined; take: number }) {
  return {
    orderBy: { id: "asc" as const },
    take: page.take,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  };
}
