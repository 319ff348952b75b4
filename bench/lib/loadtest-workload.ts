/**
 * The load test's mixed workload (seed 001's "load testing configuration"): what several users of the
 * task API do at once. Each route is driven by its own autocannon instance with a share of the
 * connections (the mix below), and each connection acts as one user (its own API key, its own tasks).
 * A closed model: every connection sends its next request when the last one answered, so slow routes
 * (export, bulk) naturally get fewer requests than their share of connections.
 */
import { randomUUID } from 'node:crypto';

export interface RouteLoad {
  name: string;
  /** Connections per 12 (the default total): the mix of the workload. */
  share: number;
  /** The next request of a connection acting as `user`. */
  request(user: UserState): { method: string; path: string; body?: string; headers?: Record<string, string> };
  /** What a 2xx answer tells us (the ids of created tasks). */
  onResponse?(user: UserState, status: number, body: string): void;
}

export interface UserState {
  key: string;
  taskIds: string[];
  categoryId: string | undefined;
  sequence: number;
}

const PRIORITIES = ['low', 'medium', 'high'] as const;
const pick = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;
const json = (value: unknown) => JSON.stringify(value);

/** Filters a person uses, in turn: indexed ones, a search, a sort, a date range. */
const LIST_QUERIES = (user: UserState) => [
  'status=open&limit=20',
  'priority=high&limit=20',
  ...(user.categoryId ? [`category=${user.categoryId}&limit=20`] : []),
  'q=report&limit=20',
  'sort=dueDate&limit=20',
  `createdAfter=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&limit=50`,
];

const randomTask = (user: UserState) => pick(user.taskIds, Math.floor(Math.random() * 1e9));

export const ROUTES: RouteLoad[] = [
  {
    name: 'list',
    share: 4,
    request: (user) => ({ method: 'GET', path: `/tasks?${pick(LIST_QUERIES(user), user.sequence++)}` }),
  },
  {
    name: 'get',
    share: 3,
    request: (user) => ({ method: 'GET', path: `/tasks/${randomTask(user)}` }),
  },
  {
    name: 'create',
    share: 2,
    request: (user) => {
      const n = user.sequence++;
      return {
        method: 'POST',
        path: '/tasks',
        // Half the creates are retried-safe as a client would send them.
        headers: n % 2 ? { 'Idempotency-Key': randomUUID() } : ({} as Record<string, string>),
        body: json({
          title: `Load test task ${n}`,
          description: n % 5 ? 'written by pnpm loadtest' : 'quarterly report draft',
          priority: pick(PRIORITIES, n),
          ...(n % 3 === 0 && user.categoryId ? { categoryId: user.categoryId } : {}),
          ...(n % 4
            ? { dueDate: new Date(Date.now() + (n % 30) * 86_400_000).toISOString().slice(0, 10) }
            : {}),
        }),
      };
    },
    onResponse: (user, status, body) => {
      if (status !== 201) return;
      const id = (JSON.parse(body) as { data?: { taskId?: string } }).data?.taskId;
      // Keep each user's set bounded: gets and updates spread over the newest few hundred.
      if (id) user.taskIds = [...user.taskIds.slice(-299), id];
    },
  },
  {
    name: 'update',
    share: 1,
    request: (user) => {
      const n = user.sequence++;
      return {
        method: 'PUT',
        path: `/tasks/${randomTask(user)}`,
        body: json({ title: `Updated by the load test ${n}`, priority: pick(PRIORITIES, n + 1) }),
      };
    },
  },
  {
    name: 'bulk',
    share: 1,
    request: (user) => {
      const n = user.sequence++;
      const ids = [...new Set(Array.from({ length: 10 }, () => randomTask(user)))];
      return {
        method: 'POST',
        path: '/tasks/bulk',
        body: json({ action: n % 2 ? 'reopen' : 'complete', ids }),
      };
    },
  },
  {
    name: 'export',
    share: 1,
    request: (user) => ({
      method: 'GET',
      path: `/tasks/export?${pick(['status=open', 'priority=high', ''], user.sequence++)}`,
    }),
  },
];

/** Tasks each user holds before the load starts. */
export const SEED_TASKS = 30;
