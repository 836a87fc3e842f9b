/**
 * The tRPC endpoint's limits, through the real route handler: a batch larger than the client may
 * send is refused as a whole (nothing runs), and an oversized body is refused before it is read.
 */
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "~/core/request-limits";
import { db } from "~/server/db";

vi.mock("~/server/auth", () => ({ auth: async () => null }));

const { POST } = await import("~/app/api/trpc/[trpc]/route");

function batchOfSignUps(count: number, prefix: string): Request {
  const paths = Array.from({ length: count }, () => "auth.signUp").join(",");
  const body = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      i,
      superjson.serialize({ email: `${prefix}-${i}@example.com`, password: "a long password" }),
    ]),
  );
  return new Request(`http://localhost/api/trpc/${paths}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("tRPC request limits", () => {
  it("refuses a batch of 40 sign-ups and creates no account", async () => {
    const response = await POST(batchOfSignUps(40, "batch40"));
    expect(response.status).toBe(400);
    expect(await db.user.count({ where: { email: { startsWith: "batch40-" } } })).toBe(0);
  });

  it("still serves a batch within the limit", async () => {
    const response = await POST(batchOfSignUps(2, "batch2"));
    expect(response.status).toBe(200);
    expect(TRPC_MAX_BATCH_SIZE).toBeLessThan(40);
  });

  it("refuses a body over the cap by its Content-Length, before reading it", async () => {
    const response = await POST(
      new Request("http://localhost/api/trpc/auth.signUp", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(TRPC_MAX_BODY_BYTES + 1) },
        body: "{}",
      }),
    );
    expect(response.status).toBe(413);
  });

  it("refuses a streamed body that passes the cap without declaring its length", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > TRPC_MAX_BODY_BYTES + chunk.length) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await POST(
      new Request("http://localhost/api/trpc/auth.signUp", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(sent).toBeLessThan(TRPC_MAX_BODY_BYTES + 3 * chunk.length);
  });
});
