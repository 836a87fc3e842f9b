/**
 * THE event bus: publish with pg_notify on one Postgres channel, subscribe through one shared
 * LISTEN connection per process. Events are typed (zod) in app-events.ts.
 */
export {
  appEventSchema,
  jobRunUpdatedEventSchema,
  projectChannel,
  type AppEvent,
  type JobRunUpdatedEvent,
} from "./app-events";
export { publishEvent, PG_EVENT_CHANNEL, MAX_EVENT_PAYLOAD_BYTES } from "./publish-event";
export { eventBus, subscribeToChannel, EventBus, type EventSubscriber, type Subscription } from "./event-bus";
export { channelMessages, type ChannelMessage } from "./channel-messages";
