// A map that keeps only its most recently used entries: the server holds full analyses (about 2 KB of IR a
// node) for the files in use, and recomputes the others on demand.

/** Sets `key` as the most recent entry and drops the oldest beyond `limit`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
}
