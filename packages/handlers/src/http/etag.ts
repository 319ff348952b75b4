import { createHash } from 'node:crypto';
import type { Category, Task } from '@tasktracker/core';

/*
 * Entity tags (RFC 9110 8.8.3). All of ours are strong: If-Match compares strongly (RFC 9110 13.1.1),
 * so a weak tag could never pass it, and each of ours changes whenever the JSON a GET returns changes.
 */

/**
 * A task's tag, `"<taskId>:<version>"`: every write to a task bumps its version, and its JSON is the
 * stored fields in a fixed order, so one version has one body. The id makes a tag from another task
 * fail If-Match instead of passing by a coincidence of versions.
 */
export function taskETag(task: Pick<Task, 'taskId' | 'version'>): string {
  return `"${task.taskId}:${task.version}"`;
}

/**
 * A category's tag, `"<categoryId>:<version>:<taskCount>"`: task writes change taskCount without
 * bumping the category's version (so they never conflict with edits), and the count is in the body.
 */
export function categoryETag(category: Pick<Category, 'categoryId' | 'version' | 'taskCount'>): string {
  return `"${category.categoryId}:${category.version}:${category.taskCount}"`;
}

/**
 * A list page's tag: a hash of the body, which holds the page's items and its nextCursor (and the
 * cursor names the user and the query). 128 bits of SHA-256, base64url.
 */
export function contentETag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

export interface EntityTag {
  weak: boolean;
  /** The quoted part, quotes included: `"abc"`. */
  opaque: string;
}

/** One element of an If-Match / If-None-Match list: an entity tag, or (our extension) a bare version. */
export type ListElement = EntityTag | { version: string };

const ELEMENT = /^(?:(W\/)?("[\x21\x23-\x7e\x80-\xff]*")|(\d+))$/;

/**
 * The elements of an If-Match / If-None-Match value, `*` on its own, or undefined when the value is not
 * that grammar. Commas may sit inside a quoted tag, so the list is split on commas outside quotes.
 */
export function parseTagList(value: string): '*' | ListElement[] | undefined {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of trimmed) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  const elements: ListElement[] = [];
  for (const part of parts) {
    const text = part.trim();
    if (text === '') continue; // the list grammar allows empty elements
    const match = ELEMENT.exec(text);
    if (!match) return undefined;
    if (match[3] !== undefined) elements.push({ version: match[3] });
    else elements.push({ weak: match[1] !== undefined, opaque: match[2] as string });
  }
  return elements.length > 0 ? elements : undefined;
}

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison, `*` matches any current representation. */
export function noneMatchHolds(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const list = parseTagList(header);
  // A header we cannot read never turns a 200 into a 304.
  if (list === undefined) return true;
  if (list === '*') return false;
  const opaque = etag.replace(/^W\//, '');
  return !list.some((element) => 'opaque' in element && element.opaque === opaque);
}
