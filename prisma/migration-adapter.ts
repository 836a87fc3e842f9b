/**
 * The driver adapter the Prisma CLI (JS schema engine) uses for migrations.
 *
 * @prisma/adapter-pg has three bugs with the JS schema engine, each worked around here:
 * (a) result columns of Postgres catalog types (name, char, oid, reg*) cannot be deserialised:
 *     CatalogAsTextClient relabels them as text before the adapter sees them;
 * (b) given a connection string or a Pool, the shadow database silently becomes the main one:
 *     we pass discrete host/port/user/password/database;
 * (c) its shadow-database dispose drops the database while still connected: we create and drop
 *     the shadow database ourselves.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const TEXT_OID = 25;
// name, char, oid, regproc, tid, xid, cid, oidvector, pg_node_tree, aclitem, regclass, regtype,
// regnamespace, regrole, and their array types.
const CATALOG_OIDS = new Set([
  18, 19, 26, 24, 27, 28, 29, 30, 194, 1033, 2202, 2203, 2204, 2205, 2206, 4089, 4096, 1002, 1003, 1028, 1034,
]);

type Relabelable = { fields?: { dataTypeID: number }[] };

function relabelCatalogColumns<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as Relabelable)?.fields ?? []) {
      if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class CatalogAsTextClient extends pg.Client {
  // pg's overloads make a typed override impractical. pg.Pool calls query with a callback,
  // direct callers use the promise: both are relabelled.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (err: unknown, result: unknown) =>
        (last as (e: unknown, r: unknown) => void)(err, err ? result : relabelCatalogColumns(result));
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out instanceof Promise) return out.then(relabelCatalogColumns) as never;
    return out as never;
  }
}

type Discrete = { host: string; port: number; user: string; password: string; database: string };

function discreteConfig(url: string): Discrete {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

async function adminQuery(config: Discrete, sql: string): Promise<void> {
  const client = new pg.Client({ ...config, database: "postgres" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly discrete: Discrete) {
    super({ ...discrete, Client: CatalogAsTextClient, allowExitOnIdle: true, idleTimeoutMillis: 200 });
  }

  override async connectToShadowDb() {
    const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await adminQuery(this.discrete, `CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({
      ...this.discrete,
      database,
      Client: CatalogAsTextClient,
      allowExitOnIdle: true,
      idleTimeoutMillis: 200,
    }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await adminQuery(this.discrete, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    return shadow;
  }
}

export function createMigrationAdapter(databaseUrl: string) {
  return new MigrationAdapterFactory(discreteConfig(databaseUrl));
}
