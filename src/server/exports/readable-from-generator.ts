/**
 * An async generator as a web ReadableStream for a Response body. Pull-based: the generator runs
 * only as fast as the client reads, which is what keeps streamed exports flat in memory. A client
 * that disconnects cancels the stream, which ends the generator (its `finally` cleans up).
 */
export function readableFromGenerator(source: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await source.next();
          if (next.done) controller.close();
          else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
