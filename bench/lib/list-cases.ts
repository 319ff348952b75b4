/**
 * The list filters the data-path benchmark walks, each beside the Query a person would write by hand
 * for the same answer (the raw baseline). Key values come from core's key builders; the expressions
 * are written out here, independently of the query planner they are measured against.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys, type TaskFilter } from '@tasktracker/core';
import { encodeTime } from 'ulid';
import { dateOf, dayOf, SEARCH_TERM } from './task-data.ts';

export interface ListCase {
  name: string;
  filter: Partial<TaskFilter>;
  /** The hand-written Query, without TableName and paging. */
  raw: Omit<QueryCommandInput, 'TableName'>;
}

const byUser = (userId: string) => ({
  KeyConditionExpression: 'userId = :u',
  ExpressionAttributeValues: { ':u': userId } as Record<string, unknown>,
});

export function listCases(userId: string, categoryId: string): ListCase[] {
  const ulidFrom = (iso: string) => `${encodeTime(Date.parse(iso), 10)}${'0'.repeat(16)}`;
  const ulidTo = (iso: string) => `${encodeTime(Date.parse(iso), 10)}${'Z'.repeat(16)}`;
  const [from, to] = [dayOf(100), dayOf(130)];
  const [dueFrom, dueTo] = [dateOf(30), dateOf(60)];
  return [
    { name: 'no filter, newest first', filter: {}, raw: { ...byUser(userId), ScanIndexForward: false } },
    { name: 'sort createdAt asc', filter: { order: 'asc' }, raw: { ...byUser(userId) } },
    {
      name: 'category',
      filter: { categoryId },
      raw: {
        IndexName: 'byCategory',
        KeyConditionExpression: 'categoryKey = :c',
        ExpressionAttributeValues: { ':c': keys.categoryIndexKey(userId, categoryId) },
        ScanIndexForward: false,
      },
    },
    {
      name: 'status open',
      filter: { status: 'open' },
      raw: {
        IndexName: 'byStatus',
        KeyConditionExpression: 'statusKey = :s',
        ExpressionAttributeValues: { ':s': keys.statusIndexKey(userId, false) },
        ScanIndexForward: false,
      },
    },
    {
      name: 'priority high',
      filter: { priority: 'high' },
      raw: {
        IndexName: 'byPriority',
        KeyConditionExpression: 'userId = :u AND begins_with(priorityKey, :p)',
        ExpressionAttributeValues: { ':u': userId, ':p': `${keys.PRIORITY_RANK.high}#` },
        ScanIndexForward: false,
      },
    },
    {
      name: 'createdAfter+createdBefore (30 days)',
      filter: { createdAfter: from, createdBefore: to },
      raw: {
        KeyConditionExpression: 'userId = :u AND taskId BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':u': userId, ':lo': ulidFrom(from), ':hi': ulidTo(to) },
        ScanIndexForward: false,
      },
    },
    {
      name: 'dueAfter+dueBefore, sort dueDate',
      filter: { dueAfter: dueFrom, dueBefore: dueTo, sort: 'dueDate' },
      raw: {
        IndexName: 'byDueDate',
        KeyConditionExpression: 'userId = :u AND dueKey BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':u': userId, ':lo': dueFrom, ':hi': `${dueTo}~` },
      },
    },
    {
      name: 'dueBefore, sort createdAt',
      filter: { dueBefore: dueTo },
      raw: {
        ...byUser(userId),
        FilterExpression: 'dueDate <= :d',
        ExpressionAttributeValues: { ':u': userId, ':d': dueTo },
        ScanIndexForward: false,
      },
    },
    {
      name: `q "${SEARCH_TERM}"`,
      filter: { q: SEARCH_TERM },
      raw: {
        ...byUser(userId),
        FilterExpression: 'contains(searchText, :q)',
        ExpressionAttributeValues: { ':u': userId, ':q': SEARCH_TERM },
        ScanIndexForward: false,
      },
    },
    {
      name: 'sort dueDate',
      filter: { sort: 'dueDate' },
      raw: { IndexName: 'byDueDate', ...byUser(userId) },
    },
    {
      name: 'sort priority',
      filter: { sort: 'priority' },
      raw: { IndexName: 'byPriority', ...byUser(userId), ScanIndexForward: false },
    },
    {
      name: 'status open, sort dueDate',
      filter: { status: 'open', sort: 'dueDate' },
      raw: {
        IndexName: 'byStatusDueDate',
        KeyConditionExpression: 'statusKey = :s',
        ExpressionAttributeValues: { ':s': keys.statusIndexKey(userId, false) },
      },
    },
    {
      name: 'priority high + created range',
      filter: { priority: 'high', createdAfter: from, createdBefore: to },
      raw: {
        IndexName: 'byPriority',
        KeyConditionExpression: 'userId = :u AND priorityKey BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':u': userId,
          ':lo': `${keys.PRIORITY_RANK.high}#${ulidFrom(from)}`,
          ':hi': `${keys.PRIORITY_RANK.high}#${ulidTo(to)}`,
        },
        ScanIndexForward: false,
      },
    },
    {
      name: 'category + status completed',
      filter: { categoryId, status: 'completed' },
      raw: {
        IndexName: 'byCategory',
        KeyConditionExpression: 'categoryKey = :c',
        FilterExpression: 'completed = :t',
        ExpressionAttributeValues: { ':c': keys.categoryIndexKey(userId, categoryId), ':t': true },
        ScanIndexForward: false,
      },
    },
  ];
}
