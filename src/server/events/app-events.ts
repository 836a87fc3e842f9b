/**
 * The typed events of the event bus. Every event names its project so that subscribers can be
 * scoped by the permission check of the subscription that forwards it; payloads stay small
 * (ids and counters, never rows or bytes) because NOTIFY payloads are limited to 8000 bytes and
 * subscribers refetch what they display.
 *
 * Persisted-name rule: `type` strings are part of the wire format between processes of
 * different versions during a rolling deploy, so add new types instead of renaming old ones.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";

export const EVENT_FORMAT_VERSION = 1 as const;

const jobStatusSchema = z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]);

/** A JobRun changed (created, progressed, finished, cancelled, reopened for a retry). */
export const jobRunUpdatedEventSchema = z.object({
  type: z.literal("job-run.updated"),
  projectId: z.string().min(1),
  jobRunId: z.string().min(1),
  jobType: z.string().min(1),
  /** The dataset a dataset job works on, so dataset pages can filter without a query. */
  datasetId: z.string().min(1).nullable(),
  status: jobStatusSchema,
  progressDone: z.number().int().nonnegative(),
  progressTotal: z.number().int().nonnegative(),
  failedCount: z.number().int().nonnegative(),
});
export type JobRunUpdatedEvent = z.infer<typeof jobRunUpdatedEventSchema>;

/** At most this many image ids travel in one label event; more become `imageIds: null`. */
export const MAX_EVENT_IMAGE_IDS = 100;

/** Image-level labels were set or cleared (collaboration: live label badges). */
export const imageLabelsChangedEventSchema = z.object({
  type: z.literal("image-labels.changed"),
  projectId: idSchema,
  /** The relabelled images; null when more than MAX_EVENT_IMAGE_IDS changed at once (reload all). */
  imageIds: z.array(idSchema).max(MAX_EVENT_IMAGE_IDS).nullable(),
  labelClassId: idSchema.nullable(),
  actorId: idSchema.nullable(),
});
export type ImageLabelsChangedEvent = z.infer<typeof imageLabelsChangedEventSchema>;

/** A region was created, edited or deleted. Deletes do not know their image: imageId is then null. */
export const regionChangedEventSchema = z.object({
  type: z.literal("region.changed"),
  projectId: idSchema,
  imageId: idSchema.nullable(),
  regionId: idSchema,
  change: z.enum(["created", "updated", "deleted"]),
  actorId: idSchema.nullable(),
});
export type RegionChangedEvent = z.infer<typeof regionChangedEventSchema>;

/** New images were stored in a dataset. */
export const imagesUploadedEventSchema = z.object({
  type: z.literal("images.uploaded"),
  projectId: idSchema,
  datasetId: idSchema,
  count: z.number().int().nonnegative(),
  actorId: idSchema.nullable(),
});
export type ImagesUploadedEvent = z.infer<typeof imagesUploadedEventSchema>;

/**
 * Presence on one image: a viewer "joined" (others answer with "here" at once), is still "here"
 * (heartbeat), or "left". Viewers who stop beating expire (src/server/presence/).
 */
export const presenceBeatEventSchema = z.object({
  type: z.literal("presence.beat"),
  projectId: idSchema,
  imageId: idSchema,
  /** One open page (a user may watch the same image in two tabs). */
  viewerKey: z.string().min(8).max(64),
  userId: idSchema,
  name: z.string().max(120),
  status: z.enum(["joined", "here", "left"]),
});
export type PresenceBeatEvent = z.infer<typeof presenceBeatEventSchema>;

/**
 * Every event of the bus. Collaboration features add their members here (labels, regions,
 * uploads); the union is what `publishEvent` accepts and what subscribers receive, parsed.
 */
export const appEventSchema = z.discriminatedUnion("type", [
  jobRunUpdatedEventSchema,
  imageLabelsChangedEventSchema,
  regionChangedEventSchema,
  imagesUploadedEventSchema,
  presenceBeatEventSchema,
]);
export type AppEvent = z.infer<typeof appEventSchema>;

/** What travels through pg_notify: the logical channel, the event, and the format version. */
export const busEnvelopeSchema = z.object({
  v: z.literal(EVENT_FORMAT_VERSION),
  channel: z.string().min(1).max(200),
  event: appEventSchema,
});
export type BusEnvelope = z.infer<typeof busEnvelopeSchema>;

/** The logical channel of everything that happens in one project. */
export function projectChannel(projectId: string): string {
  return `project:${projectId}`;
}
