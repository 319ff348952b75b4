/**
 * What a client with `cache` keeps per URL: the last ETag and body of each GET. Every GET still goes to
 * the API (Cache-Control: no-cache), with If-None-Match; a 304 reuses the kept body. One client is one
 * caller, so nothing kept is ever shown to another user.
 */
export class ETagCache {
  readonly #entries = new Map<string, { etag: string; text: string }>();

  constructor(readonly maxEntries: number) {}

  get(url: string): { etag: string; text: string } | undefined {
    const entry = this.#entries.get(url);
    if (entry) {
      // Least recently used goes first: re-inserting moves the entry to the end.
      this.#entries.delete(url);
      this.#entries.set(url, entry);
    }
    return entry;
  }

  set(url: string, etag: string, text: string): void {
    this.#entries.delete(url);
    this.#entries.set(url, { etag, text });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
