import type { Db } from "~/server/db";

/** The caller's projects with their role; access is part of the query. */
export async function listProjects(options: { db: Db; userId: string }) {
  const memberships = await options.db.membership.findMany({
    where: { userId: options.userId },
    orderBy: { project: { updatedAt: "desc" } },
    select: {
      role: true,
      project: {
        select: {
          id: true,
          name: true,
          description: true,
          updatedAt: true,
          _count: { select: { datasets: true, images: true, memberships: true } },
        },
      },
    },
  });
  return memberships.map(({ role, project }) => ({
    id: project.id,
    name: project.name,
    description: project.description,
    updatedAt: project.updatedAt,
    role,
    datasetCount: project._count.datasets,
    imageCount: project._count.images,
    memberCount: project._count.memberships,
  }));
}
