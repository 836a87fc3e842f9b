import type { Db } from "~/server/db";

export function listLabelClasses(options: { db: Db; projectId: string }) {
  return options.db.labelClass.findMany({
    where: { projectId: options.projectId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, name: true, color: true, position: true },
  });
}
