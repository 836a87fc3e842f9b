/**
 * Where to go after signing in: only a path on this site. Browsers treat `\` like `/`, so
 * `/\evil.example` and `//evil.example` are other hosts; encoded forms (`%2F%5C...`) are decoded
 * before the check, and control characters (which browsers strip) are refused outright.
 */
const PLACEHOLDER_ORIGIN = "http://visual-ccc.invalid";

export function safeRedirectPath(value: unknown, fallback = "/projects"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  let decoded = value;
  for (let round = 0; round < 3; round++) {
    if (!isLocalPath(decoded)) return fallback;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (!isLocalPath(decoded)) return fallback;
  const url = new URL(value, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

function isLocalPath(path: string): boolean {
  return path.startsWith("/") && !/^\/[/\\]/.test(path) && !/[\\\u0000-\u001f\u007f]/.test(path);
}
