import type { Db } from "~/server/db";

/**
 * Deletes the project and (by cascade) its datasets, images, labels and members. Blobs stay:
 * they are content-addressed and may be shared with other projects.
 */
export async function deleteProject(options: { db: Db; projectId: string }): Promise<void> {
  await options.db.project.delete({ where: { id: options.projectId } });
}
