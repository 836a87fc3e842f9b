import type { AppEvent } from "./app-events";
import { subscribeToChannel } from "./event-bus";

/** "resync": (re)load your state now, events may have been missed; "event": one published event. */
export type ChannelMessage = { kind: "resync" } | { kind: "event"; event: AppEvent };

/** A slow consumer never makes the process buffer without bound: the backlog becomes one resync. */
const MAX_BACKLOG = 500;

/**
 * The messages of one logical channel as an async generator (for tRPC subscriptions and
 * scripts). The first message is a "resync" once the process is listening, so a consumer that
 * loads its state then misses nothing. Ends when `signal` aborts.
 */
export async function* channelMessages(options: {
  channel: string;
  signal?: AbortSignal;
}): AsyncGenerator<ChannelMessage> {
  const { channel, signal } = options;
  let backlog: ChannelMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: ChannelMessage) => {
    if (backlog.length >= MAX_BACKLOG) backlog = [{ kind: "resync" }];
    else backlog.push(message);
    wake?.();
  };
  const subscription = subscribeToChannel(channel, {
    onEvent: (event) => push({ kind: "event", event }),
    onResync: () => push({ kind: "resync" }),
  });
  subscription.ready.catch(() => undefined); // the bus retries and sends a resync when it is back
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      const next = backlog.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
  }
}
