/**
 * THE job queue: pg-boss on the application's Postgres (jobs are rows, workers take them with
 * SELECT ... FOR UPDATE SKIP LOCKED, so any number of workers anywhere can share the work).
 *
 * Every queue operation that belongs with a database change runs inside the caller's Prisma
 * transaction (pg-boss accepts a `db` executor): a JobRun and its job are created together, and
 * an item's result, its progress and the completion of its queue job commit together, so a
 * crash at any point leaves either all or none of them.
 */
import "server-only";
import PgBoss from "pg-boss";
import type { Prisma } from "~/generated/prisma/client";
import { databaseUrl } from "~/server/env";
import { analyseImageJob, JOB_DEFINITIONS, type JobDefinition } from "./definitions";
import { jobSettings, type JobSettings } from "./job-settings";

export type Tx = Prisma.TransactionClient;

/** Runs pg-boss's SQL on a Prisma transaction's connection. */
export function executorFor(tx: Tx): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values),
    }),
  };
}

/** What the services and handlers need from the queue; tests can supply their own. */
export interface JobQueue {
  /** Enqueues one job as part of `tx`. Throws ZodError for a payload that breaks its schema. */
  send<P>(definition: JobDefinition<P>, payload: P, options: { tx: Tx }): Promise<string>;
  /** Enqueues many jobs of one type in one statement, as part of `tx`. */
  sendMany<P>(definition: JobDefinition<P>, payloads: readonly P[], options: { tx: Tx }): Promise<void>;
  /**
   * Marks an active job completed as part of `tx`. False when the queue no longer holds it as
   * active (it expired and went to another worker, or was completed already): the caller must
   * then not commit its own results, or they would be counted twice.
   */
  complete<P>(definition: JobDefinition<P>, jobId: string, options: { tx: Tx }): Promise<boolean>;
}

export class PgBossJobQueue implements JobQueue {
  constructor(
    readonly boss: PgBoss,
    private readonly settings: JobSettings,
  ) {}

  /** Per-job expiration and retries: the item queue follows the configuration. */
  private sendOptions<P>(definition: JobDefinition<P>): { expireInSeconds: number; retryLimit: number } {
    if (definition.id === analyseImageJob.id) {
      return {
        expireInSeconds: this.settings.JOB_ITEM_EXPIRE_SECONDS,
        retryLimit: this.settings.JOB_ITEM_RETRY_LIMIT,
      };
    }
    return { expireInSeconds: definition.queue.expireInSeconds, retryLimit: definition.queue.retryLimit };
  }

  async send<P>(definition: JobDefinition<P>, payload: P, options: { tx: Tx }): Promise<string> {
    const data = definition.payloadSchema.parse(payload) as object;
    const id = await this.boss.send(definition.id, data, {
      ...this.sendOptions(definition),
      db: executorFor(options.tx),
    });
    if (!id) throw new Error(`queue ${definition.id} refused the job`);
    return id;
  }

  async sendMany<P>(definition: JobDefinition<P>, payloads: readonly P[], options: { tx: Tx }): Promise<void> {
    if (payloads.length === 0) return;
    const sendOptions = this.sendOptions(definition);
    const jobs = payloads.map((payload) => ({
      name: definition.id,
      data: definition.payloadSchema.parse(payload) as object,
      ...sendOptions,
    }));
    await this.boss.insert(jobs, { db: executorFor(options.tx) });
  }

  async complete<P>(definition: JobDefinition<P>, jobId: string, options: { tx: Tx }): Promise<boolean> {
    const result = (await this.boss.complete(definition.id, jobId, {}, { db: executorFor(options.tx) })) as unknown as {
      affected: number;
    };
    return result.affected === 1;
  }
}

function isDeadlock(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "40P01";
}

/**
 * Creates the missing queues so jobs can be sent before any worker has started. pg-boss creates
 * a queue without a lock, so processes starting together on a fresh database can deadlock on
 * it: Postgres then aborts one of them, which retries and finds the queue made by the other.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const definition of JOB_DEFINITIONS) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await boss.getQueue(definition.id))) {
          await boss.createQueue(definition.id, { name: definition.id, ...definition.queue });
        }
        break;
      } catch (error) {
        if (!isDeadlock(error) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      }
    }
  }
}

export type QueueRole = "web" | "worker";

/**
 * Starts pg-boss for this process (installs or migrates its schema on first use). Web processes
 * only send; workers also run maintenance, which is what returns a dead worker's jobs to the
 * queue once they expire.
 */
export async function startPgBoss(options: {
  role: QueueRole;
  settings?: JobSettings;
  connectionString?: string;
}): Promise<PgBossJobQueue> {
  const settings = options.settings ?? jobSettings();
  const boss = new PgBoss({
    connectionString: options.connectionString ?? databaseUrl(),
    application_name: `visual-ccc-${options.role}`,
    max: options.role === "web" ? 3 : settings.WORKER_CONCURRENCY + 4,
    supervise: options.role === "worker",
    maintenanceIntervalSeconds: settings.JOB_MAINTENANCE_SECONDS,
    schedule: false,
    migrate: true,
  });
  boss.on("error", (error) => console.error(`[jobs] queue error: ${error.message}`));
  await boss.start();
  await ensureQueues(boss);
  return new PgBossJobQueue(boss, settings);
}

const globalForQueue = globalThis as unknown as { visualCccJobQueue?: Promise<PgBossJobQueue> };

/** The web process's queue (started on first use, shared; dev reloads reuse it). */
export function jobQueue(): Promise<JobQueue> {
  if (!globalForQueue.visualCccJobQueue) {
    const starting = startPgBoss({ role: "web" });
    globalForQueue.visualCccJobQueue = starting;
    starting.catch(() => {
      if (globalForQueue.visualCccJobQueue === starting) globalForQueue.visualCccJobQueue = undefined;
    });
  }
  return globalForQueue.visualCccJobQueue;
}

/** Stops the web process's queue (tests, shutdown). */
export async function stopJobQueue(): Promise<void> {
  const queue = globalForQueue.visualCccJobQueue;
  globalForQueue.visualCccJobQueue = undefined;
  if (queue) await (await queue).boss.stop({ graceful: false, close: true, wait: true });
}
