import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { describeActivity } from "./describe-activity";

export type ActivityEntry = {
  id: string;
  at: Date;
  actor: { id: string; name: string } | null;
  action: string;
  summary: string;
  targetType: string;
};

/** The project's audit events, newest first, a page at a time (cursor = the last entry's id). */
export async function listProjectActivity(options: {
  db: Db;
  projectId: string;
  cursor?: string;
  limit: number;
}): Promise<{ entries: ActivityEntry[]; nextCursor: string | null }> {
  // A cursor is an entry of this project: another project's id must not position the page.
  if (
    options.cursor &&
    (await options.db.auditEvent.count({ where: { id: options.cursor, projectId: options.projectId } })) === 0
  ) {
    throw new AppError("NOT_FOUND", "Activity entry not found");
  }
  const rows = await options.db.auditEvent.findMany({
    where: { projectId: options.projectId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      createdAt: true,
      actorId: true,
      action: true,
      targetType: true,
      data: true,
      projectId: true,
    },
  });
  const page = rows.slice(0, options.limit);
  const actorIds = [...new Set(page.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const actors = await options.db.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, name: true, email: true },
  });
  const names = new Map(actors.map((a) => [a.id, a.name || a.email]));
  return {
    entries: page.map((row) => ({
      id: row.id,
      at: row.createdAt,
      actor: row.actorId ? { id: row.actorId, name: names.get(row.actorId) ?? "a former user" } : null,
      action: row.action,
      summary: describeActivity(row.action, row.data),
      targetType: row.targetType,
    })),
    nextCursor: rows.length > options.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
