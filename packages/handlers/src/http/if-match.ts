import { isTaskTrackerError, TaskTrackerError } from '@tasktracker/core';
import { type ListElement, parseTagList } from './etag.ts';

const VERSION_LIMIT = Number.MAX_SAFE_INTEGER;

const badHeader = () =>
  new TaskTrackerError(
    'VALIDATION_ERROR',
    'If-Match: must be *, entity tags such as "<id>:3", or a version number such as 3',
    [{ path: ['headers', 'If-Match'], message: 'must be *, entity tags, or a version number' }],
  );

/** A bare version (`3`, or `"3"` as earlier clients sent it), else undefined; 0 is a 400. */
function versionOf(element: ListElement): number | undefined {
  const digits = 'version' in element ? element.version : /^"(\d+)"$/.exec(element.opaque)?.[1];
  if (digits === undefined || ('weak' in element && element.weak)) return undefined;
  const version = Number(digits);
  if (version < 1 || version > VERSION_LIMIT) throw badHeader();
  return version;
}

/** What PUT and DELETE need to know about the resource an If-Match header is checked against. */
export interface MatchTarget<Item extends { version: number }> {
  /** 'task' or 'category', for the 412's message. */
  resource: string;
  /** The current item; throws RESOURCE_NOT_FOUND when there is none (404 wins over 412). */
  read(): Promise<Item>;
  etag(item: Item): string;
  /** The version one of our tags stands for without reading the item (a task's `"<id>:<v>"`). */
  pinnedVersion?(tag: string): number | undefined;
}

const preconditionFailed = (resource: string, details: Record<string, unknown>) =>
  new TaskTrackerError(
    'PRECONDITION_FAILED',
    `If-Match: the ${resource} has changed (it is at version ${details.currentVersion})`,
    details,
  );

const disagree = (fromInput: number, fromHeader: number) =>
  new TaskTrackerError('VALIDATION_ERROR', 'expectedVersion and If-Match disagree', [
    { path: ['expectedVersion'], message: `is ${fromInput} but If-Match says ${fromHeader}` },
  ]);

/**
 * Runs a conditional write under the request's If-Match (RFC 9110 13.1.1) and its expectedVersion.
 *
 * - No header, or `*`: the write runs with expectedVersion (body or query) as before.
 * - One bare version, or one of our tags that names it: that version is the write's own condition,
 *   checked atomically by DynamoDB; no extra read.
 * - Anything else (a category's tag, a list, another item's tag, a weak tag): the current item is read
 *   once, its tag compared strongly with each listed one, and the write is made conditional on the
 *   version that matched, so a change after the check still fails.
 *
 * A failed If-Match is 412 PRECONDITION_FAILED; a stale expectedVersion alone stays 409
 * VERSION_CONFLICT. A missing item is 404 whatever the header says (RFC 9110 13.2.1).
 */
export async function writeIfMatch<Item extends { version: number }, Result>(
  headers: Record<string, string>,
  inputVersion: number | undefined,
  target: MatchTarget<Item>,
  write: (expectedVersion: number | undefined) => Promise<Result>,
): Promise<Result> {
  const header = headers['if-match'];
  if (header === undefined) return write(inputVersion);
  const list = parseTagList(header);
  if (list === undefined) throw badHeader();
  if (list === '*') return write(inputVersion);
  const versions = list.map(versionOf);
  let expected: number | undefined;
  const [only] = list;
  if (list.length === 1 && only) {
    const strongTag = 'opaque' in only && !only.weak ? only.opaque : undefined;
    expected = versions[0] ?? (strongTag === undefined ? undefined : target.pinnedVersion?.(strongTag));
  }
  if (expected === undefined) {
    const current = await target.read();
    const matched = list.some((element, index) =>
      versions[index] !== undefined
        ? versions[index] === current.version
        : 'opaque' in element && !element.weak && element.opaque === target.etag(current),
    );
    if (!matched) throw preconditionFailed(target.resource, { currentVersion: current.version });
    expected = current.version;
  }
  if (inputVersion !== undefined && inputVersion !== expected) throw disagree(inputVersion, expected);
  try {
    return await write(expected);
  } catch (error) {
    if (!isTaskTrackerError(error, 'VERSION_CONFLICT')) throw error;
    const details = error.details as Record<string, unknown> | undefined;
    throw preconditionFailed(target.resource, { ...details });
  }
}
