/**
 * What changed in a project, for pages that show a dataset or an image: a tRPC subscription turns
 * bus events into small "this changed, refetch it" messages (the page refetches through its own
 * permission-checked queries, so nothing here carries rows). Events of other datasets or images
 * are dropped; label events that do not name their images, and region deletions, are passed on.
 */
import { assertDatasetInProject } from "~/server/datasets/assert-dataset-in-project";
import type { Db } from "~/server/db";
import { channelMessages, projectChannel } from "~/server/events";
import type { AppEvent } from "~/server/events/app-events";
import { AppError } from "~/server/errors";

export type LiveChange =
  | { kind: "resync" }
  | { kind: "labels"; imageIds: string[] | null; labelClassId: string | null; actorName: string | null }
  | {
      kind: "regions";
      imageId: string | null;
      change: "created" | "updated" | "deleted";
      actorName: string | null;
    }
  | { kind: "images"; datasetId: string; count: number; actorName: string | null }
  | { kind: "job"; jobRunId: string; status: string; progressDone: number; progressTotal: number };

type Focus = { datasetId?: string; imageId?: string };

function concerns(event: AppEvent, focus: Focus): boolean {
  switch (event.type) {
    case "image-labels.changed":
      return !focus.imageId || event.imageIds === null || event.imageIds.includes(focus.imageId);
    case "region.changed":
      return !focus.imageId || event.imageId === null || event.imageId === focus.imageId;
    case "images.uploaded":
      return !focus.imageId && (!focus.datasetId || event.datasetId === focus.datasetId);
    case "job-run.updated":
      return !focus.datasetId || event.datasetId === null || event.datasetId === focus.datasetId;
    case "presence.beat":
      return false;
  }
}

export async function* watchLiveChanges(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
  imageId?: string;
  signal?: AbortSignal;
}): AsyncGenerator<LiveChange> {
  const { db, projectId } = options;
  // The focus must belong to the project: a subscription never listens "through" a foreign id.
  if (options.datasetId) await assertDatasetInProject({ db, projectId, datasetId: options.datasetId });
  if (options.imageId && (await db.image.count({ where: { id: options.imageId, projectId } })) === 0) {
    throw new AppError("NOT_FOUND", "Image not found");
  }
  const names = new Map<string, string>();
  const nameOf = async (userId: string | null): Promise<string | null> => {
    if (!userId) return null;
    if (!names.has(userId)) {
      const user = await db.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
      names.set(userId, user?.name || user?.email || "Someone");
    }
    return names.get(userId)!;
  };
  for await (const message of channelMessages({
    channel: projectChannel(projectId),
    signal: options.signal,
  })) {
    if (message.kind === "resync") {
      yield { kind: "resync" };
      continue;
    }
    const event = message.event;
    if (event.projectId !== projectId || !concerns(event, options)) continue;
    switch (event.type) {
      case "image-labels.changed":
        yield {
          kind: "labels",
          imageIds: event.imageIds,
          labelClassId: event.labelClassId,
          actorName: await nameOf(event.actorId),
        };
        break;
      case "region.changed":
        yield {
          kind: "regions",
          imageId: event.imageId,
          change: event.change,
          actorName: await nameOf(event.actorId),
        };
        break;
      case "images.uploaded":
        yield {
          kind: "images",
          datasetId: event.datasetId,
          count: event.count,
          actorName: await nameOf(event.actorId),
        };
        break;
      case "job-run.updated":
        yield {
          kind: "job",
          jobRunId: event.jobRunId,
          status: event.status,
          progressDone: event.progressDone,
          progressTotal: event.progressTotal,
        };
        break;
      case "presence.beat":
        break;
    }
  }
}
