/**
 * A loader that loads each key once: concurrent and later callers share one promise. A failed load
 * is forgotten, so a retry loads again.
 */
export function cachedLoad<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let pending = cache.get(key);
    if (!pending) {
      pending = load(key);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  };
}
