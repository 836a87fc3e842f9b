import type { Db } from "~/server/db";

/**
 * The message a refused (stale) save gets: who changed the region last and which versions
 * disagree, so the user knows what happened and that their own edit was not written.
 */
export async function describeRegionConflict(options: {
  db: Db;
  projectId: string;
  regionId: string;
  expectedVersion: number;
  currentVersion: number | null;
}): Promise<string> {
  if (options.currentVersion === null) {
    return "This region was deleted by someone else while you were editing it. Your change was not saved.";
  }
  const lastChange = await options.db.auditEvent.findFirst({
    where: { projectId: options.projectId, targetType: "Region", targetId: options.regionId },
    orderBy: { createdAt: "desc" },
    select: { actorId: true },
  });
  const actor = lastChange?.actorId
    ? await options.db.user.findUnique({
        where: { id: lastChange.actorId },
        select: { email: true, name: true },
      })
    : null;
  const who = actor
    ? actor.name && !actor.email.startsWith(actor.name)
      ? `${actor.name} (${actor.email})`
      : actor.email
    : "someone else";
  return (
    `This region was changed by ${who} after you opened it (you edited version ${options.expectedVersion}, ` +
    `the saved one is version ${options.currentVersion}). Your change was not saved.`
  );
}
