/**
 * The subscribing half of the event bus: ONE dedicated LISTEN connection per process, opened when
 * the first subscriber arrives and closed when the last one leaves, fanning every notification
 * out to the in-process subscribers of its logical channel. Because the notifications come from
 * Postgres, a subscriber in one web process hears what a worker or another web process published.
 *
 * Delivery is at-most-once: while the connection is down, events are lost. Subscribers therefore
 * get `onResync` when listening (re)starts and reload their state then, instead of trusting that
 * they saw every event.
 */
import pg from "pg";
import { databaseUrl } from "~/server/env";
import { busEnvelopeSchema, type AppEvent } from "./app-events";
import { PG_EVENT_CHANNEL } from "./publish-event";

export type EventSubscriber = {
  onEvent: (event: AppEvent) => void;
  /** Listening started or restarted after a connection loss: reload state, events may be missing. */
  onResync?: () => void;
};

export type Subscription = {
  /** Resolves once the process is listening, so nothing published afterwards is missed. */
  ready: Promise<void>;
  unsubscribe: () => void;
};

type Logger = (message: string) => void;

const RECONNECT_DELAYS_MS = [250, 1000, 2000, 5000, 10_000];

export class EventBus {
  private readonly subscribers = new Map<string, Set<EventSubscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Connections opened so far (tests check that subscribers share one). */
  connectionsOpened = 0;

  constructor(
    private readonly connectionString: () => string,
    private readonly log: Logger = (message) => console.warn(`[events] ${message}`),
  ) {}

  subscribe(channel: string, subscriber: EventSubscriber): Subscription {
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    set.add(subscriber);
    const ready = this.ensureListening();
    // A subscriber that joins an established connection still needs its initial load.
    void ready.then(
      () => set.has(subscriber) && subscriber.onResync?.(),
      () => undefined,
    );
    return {
      ready,
      unsubscribe: () => {
        set.delete(subscriber);
        if (set.size === 0) this.subscribers.delete(channel);
        if (this.subscribers.size === 0) void this.close();
      },
    };
  }

  /** Number of in-process subscribers (for tests and diagnostics). */
  subscriberCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  async close(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    this.connecting = null;
    if (client) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private ensureListening(): Promise<void> {
    if (this.client && !this.connecting) return Promise.resolve();
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString(),
      application_name: "visual-ccc-events",
    });
    this.connectionsOpened++;
    client.on("notification", (message) => {
      if (message.channel === PG_EVENT_CHANNEL && message.payload) this.dispatch(message.payload);
    });
    client.on("error", (error) => this.onConnectionLost(client, error));
    client.on("end", () => this.onConnectionLost(client, new Error("connection closed")));
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_EVENT_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      this.connecting = null;
      this.scheduleReconnect(error);
      throw error;
    }
    this.client = client;
    this.connecting = null;
    this.failures = 0;
  }

  private dispatch(payload: string): void {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      this.log("ignored a notification that is not JSON");
      return;
    }
    const parsed = busEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      // A newer process may publish event types this one does not know yet (rolling deploys).
      return;
    }
    const set = this.subscribers.get(parsed.data.channel);
    if (!set) return;
    for (const subscriber of [...set]) {
      try {
        subscriber.onEvent(parsed.data.event);
      } catch (error) {
        this.log(`a subscriber failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private onConnectionLost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners();
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.subscribers.size === 0 || this.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)]!;
    this.failures++;
    this.log(
      `listening connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting in ${delay} ms`,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.subscribers.size === 0) return;
      this.ensureListening().then(
        () => {
          for (const set of this.subscribers.values()) for (const subscriber of set) subscriber.onResync?.();
        },
        () => undefined,
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}

const globalForBus = globalThis as unknown as { visualCccEventBus?: EventBus };

/** The process's event bus (cached on globalThis so dev reloads reuse the one connection). */
export function eventBus(): EventBus {
  globalForBus.visualCccEventBus ??= new EventBus(databaseUrl);
  return globalForBus.visualCccEventBus;
}

/** Subscribes to a logical channel on the process's bus. */
export function subscribeToChannel(channel: string, subscriber: EventSubscriber): Subscription {
  return eventBus().subscribe(channel, subscriber);
}
