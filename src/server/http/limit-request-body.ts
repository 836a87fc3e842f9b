/**
 * A request whose body may not exceed `maxBytes`: refused at once (413) when Content-Length says
 * so, otherwise read through a counting stream that errors as soon as the limit is passed (for
 * chunked bodies and bodies that lie about their length). Nothing beyond the limit is buffered.
 */
export function limitRequestBody(request: Request, maxBytes: number): Request | Response {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
  if (!request.body) return request;
  let received = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) controller.error(new RangeError(`request body over ${maxBytes} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: counted,
    signal: request.signal,
    // Node's fetch needs this for a streamed request body.
    duplex: "half",
  } as RequestInit);
}

function tooLarge(maxBytes: number): Response {
  return Response.json(
    { error: `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.` },
    { status: 413 },
  );
}
