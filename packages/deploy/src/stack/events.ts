import {
  DescribeStackEventsCommand,
  type DescribeStackEventsCommandOutput,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../aws/clients.ts';
import { isMissingStack } from '../aws/errors.ts';
import { sleep } from './sleep.ts';
import { describeStack, isInProgress } from './status.ts';

export interface StackEventLine {
  timestamp: Date;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
}

export interface WatchOptions {
  /** The stack's name or, better, its id (a name may be reused by a later stack). */
  stack: string;
  /** Events before this, or already seen, belong to earlier operations (see eventCursor). */
  since: Date;
  seen?: Set<string>;
  /** Resources the operation touches (the change set's size): the progress line's denominator. */
  total: number;
  pollMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: StackEventLine) => void;
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
}

export interface WatchResult {
  stack: Stack | undefined;
  status: string;
  events: StackEventLine[];
}

const toLine = (event: StackEvent): StackEventLine => ({
  timestamp: event.Timestamp ?? new Date(0),
  logicalId: event.LogicalResourceId ?? '?',
  resourceType: event.ResourceType ?? '?',
  status: event.ResourceStatus ?? '?',
  ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
});

/**
 * The events newer than `since` that were not seen yet, oldest first. DescribeStackEvents pages from
 * the newest event backwards, so paging stops at the first event already seen or older than `since`.
 */
export async function newStackEvents(
  clients: AwsClients,
  stack: string,
  since: Date,
  seen: Set<string>,
): Promise<StackEventLine[]> {
  const fresh: StackEvent[] = [];
  let token: string | undefined;
  paging: do {
    let page: DescribeStackEventsCommandOutput;
    try {
      page = await clients.cloudformation.send(
        new DescribeStackEventsCommand({ StackName: stack, NextToken: token }),
      );
    } catch (error) {
      if (isMissingStack(error)) break;
      throw error;
    }
    for (const event of page.StackEvents ?? []) {
      if (seen.has(event.EventId ?? '') || (event.Timestamp && event.Timestamp < since)) break paging;
      fresh.push(event);
    }
    token = page.NextToken;
  } while (token);
  for (const event of fresh) seen.add(event.EventId ?? '');
  return fresh.reverse().map(toLine);
}

/**
 * Where the next operation's events will start: every event on the newest page counts as seen, so
 * a watch reports only what happens after this call (one DescribeStackEvents call; none for a new stack).
 */
export async function eventCursor(
  clients: AwsClients,
  stack: string,
): Promise<{ since: Date; seen: Set<string> }> {
  const seen = new Set<string>();
  let since = new Date(0);
  try {
    const page = await clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: stack }));
    for (const event of page.StackEvents ?? []) {
      seen.add(event.EventId ?? '');
      if (event.Timestamp && event.Timestamp > since) since = event.Timestamp;
    }
  } catch (error) {
    if (!isMissingStack(error)) throw error;
  }
  return { since, seen };
}

/** A resource finished: created, updated or deleted. */
const isDone = (status: string) => status.endsWith('_COMPLETE') && !status.includes('ROLLBACK');

/**
 * Follows a stack operation to its end: streams every new event, keeps a count of finished resources,
 * and returns the final status. Polling stops at once when the signal fires (Ctrl-C): the operation
 * itself goes on in CloudFormation.
 */
export async function watchStackOperation(clients: AwsClients, options: WatchOptions): Promise<WatchResult> {
  const started = Date.now();
  const seen = options.seen ?? new Set<string>();
  const events: StackEventLine[] = [];
  const finished = new Set<string>();
  for (;;) {
    const stack = await describeStack(clients, options.stack);
    for (const event of await newStackEvents(clients, options.stack, options.since, seen)) {
      events.push(event);
      options.onEvent?.(event);
      if (event.resourceType !== 'AWS::CloudFormation::Stack' && isDone(event.status))
        finished.add(event.logicalId);
    }
    options.onProgress?.(Math.min(finished.size, options.total), options.total, Date.now() - started);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (!isInProgress(status)) return { stack, status, events };
    await sleep(options.pollMs ?? 3_000, options.signal);
  }
}

const CANCELLED = /cancelled/i;

/** The event that explains a failure: the first resource that failed for a reason of its own. */
export function firstFailure(events: readonly StackEventLine[]): StackEventLine | undefined {
  const failures = events.filter((event) => event.status.endsWith('_FAILED'));
  return failures.find((event) => !CANCELLED.test(event.reason ?? '')) ?? failures[0];
}
