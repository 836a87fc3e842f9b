import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { EVENT_FORMAT_VERSION, busEnvelopeSchema, type AppEvent } from "./app-events";

/** The one Postgres NOTIFY channel of the application; logical channels travel in the payload. */
export const PG_EVENT_CHANNEL = "visual_ccc_events";

/** Postgres refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_EVENT_PAYLOAD_BYTES = 7900;

/**
 * Publishes an event to every subscriber of `channel` in every process connected to the
 * database. Pass a transaction client to publish as part of that transaction: Postgres delivers
 * the notification only when it commits, so nobody hears of a change that was rolled back.
 * Throws RangeError for an event that does not match its schema or is too large.
 */
export async function publishEvent(options: {
  db: Db | Prisma.TransactionClient;
  channel: string;
  event: AppEvent;
}): Promise<void> {
  const envelope = busEnvelopeSchema.safeParse({
    v: EVENT_FORMAT_VERSION,
    channel: options.channel,
    event: options.event,
  });
  if (!envelope.success) throw new RangeError(`invalid event: ${envelope.error.message}`);
  const payload = JSON.stringify(envelope.data);
  if (Buffer.byteLength(payload) > MAX_EVENT_PAYLOAD_BYTES) {
    throw new RangeError(
      `event payload is ${Buffer.byteLength(payload)} bytes; the limit is ${MAX_EVENT_PAYLOAD_BYTES}`,
    );
  }
  await options.db.$executeRaw`SELECT pg_notify(${PG_EVENT_CHANNEL}, ${payload})`;
}
