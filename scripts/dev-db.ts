/** Starts only the embedded database and prints its URL, for Prisma CLI work (migrate dev). */
import { startEmbeddedPostgres } from "../src/server/database/embedded-postgres";

const db = await startEmbeddedPostgres({ dataDir: "data/db" });
console.log(db.url);
process.on("SIGINT", () => void db.stop().then(() => process.exit(0)));
process.on("SIGTERM", () => void db.stop().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
