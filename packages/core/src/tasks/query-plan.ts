import {
  categoryIndexKey,
  PRIORITY_RANK,
  statusIndexKey,
  ulidLowerBound,
  ulidUpperBound,
} from '../dynamo/keys.ts';
import { TASK_INDEXES, TASKS_KEY, type TaskIndexName } from '../dynamo/tables.ts';
import { type ErrorDetail, TaskTrackerError } from '../errors.ts';
import { DEFAULT_ORDER, type TaskFilter } from './filter.ts';

/**
 * Turns list filters into one DynamoDB Query inside one user's data. The index is chosen so that it
 * delivers the requested order and puts the most selective equality filter in its key; every other
 * filter becomes a FilterExpression (costing reads that are not returned, reported by the benchmark).
 */
export interface QueryPlan {
  index: TaskIndexName | undefined;
  keyCondition: string;
  filterExpression: string | undefined;
  names: Record<string, string>;
  values: Record<string, string | boolean>;
  forward: boolean;
  /** Attributes of the start key for this table or index: the table key plus the index key. */
  keyAttributes: string[];
  /** Key attributes whose value is fixed by the query; a cursor must carry the same values. */
  fixed: Record<string, string>;
  /** Which filters the key serves (the rest are filtered after reading). */
  indexedFilters: string[];
  /**
   * No task can match (a created bound before 1970, when no task id can have been minted): the caller
   * answers an empty result without reading.
   */
  matchesNothing: boolean;
}

const LOWEST = '0';
const HIGHEST_DUE = '9999~';
/** Appended to an inclusive upper bound: '~' sorts after '#', 'T' and every digit used in our keys. */
const THROUGH = '~';

interface Range {
  lo: string;
  hi: string;
}

/**
 * A ULID holds milliseconds since 1970 and cannot encode an earlier time: a lower bound before the epoch
 * is the start of all ids, and an upper bound before it leaves nothing to match.
 */
const EPOCH_MS = 0;

function createdRange(filter: TaskFilter): (Range & { empty: boolean }) | undefined {
  if (!filter.createdAfter && !filter.createdBefore) return undefined;
  const after = filter.createdAfter ? new Date(filter.createdAfter).getTime() : EPOCH_MS;
  const before = filter.createdBefore ? new Date(filter.createdBefore).getTime() : undefined;
  return {
    lo: ulidLowerBound(new Date(Math.max(after, EPOCH_MS))),
    hi: before === undefined ? 'Z'.repeat(26) : ulidUpperBound(new Date(Math.max(before, EPOCH_MS))),
    empty: before !== undefined && before < EPOCH_MS,
  };
}

/**
 * Ranges whose lower bound is past their upper bound, as the query would compare them (a due bound runs
 * through the whole of its day or instant). Such a range matches nothing by definition: it is a swapped
 * pair, and answering "no tasks" would hide the mistake, so it is a VALIDATION_ERROR naming both.
 */
export function reversedRanges(filter: TaskFilter): ErrorDetail[] {
  const reversed: ErrorDetail[] = [];
  const { createdAfter, createdBefore, dueAfter, dueBefore } = filter;
  if (createdAfter && createdBefore && new Date(createdAfter).getTime() > new Date(createdBefore).getTime())
    reversed.push({ path: ['createdAfter'], message: `is later than createdBefore (${createdBefore})` });
  if (dueAfter && dueBefore && dueAfter > `${dueBefore}${THROUGH}`)
    reversed.push({ path: ['dueAfter'], message: `is later than dueBefore (${dueBefore})` });
  return reversed;
}

function dueRange(filter: TaskFilter): Range | undefined {
  if (!filter.dueAfter && !filter.dueBefore) return undefined;
  return {
    lo: filter.dueAfter ?? LOWEST,
    hi: filter.dueBefore ? `${filter.dueBefore}${THROUGH}` : HIGHEST_DUE,
  };
}

export function planTaskQuery(userId: string, filter: TaskFilter): QueryPlan {
  const reversed = reversedRanges(filter);
  if (reversed.length > 0) {
    const first = reversed[0] as ErrorDetail;
    throw new TaskTrackerError('VALIDATION_ERROR', `${first.path.join('.')}: ${first.message}`, reversed);
  }
  const names: Record<string, string> = {};
  const values: Record<string, string | boolean> = {};
  const indexed = new Set<string>();
  const created = createdRange(filter);
  const due = dueRange(filter);

  let index: TaskIndexName | undefined;
  let partition: { name: string; value: string };
  let sortKeyName: string = TASKS_KEY.sortKey;
  let sortCondition: string | undefined;

  const useRange = (range: Range | undefined, filterName: string, prefix = '') => {
    if (!range) return;
    values[':lo'] = `${prefix}${range.lo}`;
    values[':hi'] = `${prefix}${range.hi}`;
    sortCondition = '#sk BETWEEN :lo AND :hi';
    indexed.add(filterName);
  };

  if (filter.sort === 'createdAt') {
    if (filter.categoryId) {
      index = 'byCategory';
      partition = { name: 'categoryKey', value: categoryIndexKey(userId, filter.categoryId) };
      indexed.add('categoryId');
    } else if (filter.status) {
      index = 'byStatus';
      partition = { name: 'statusKey', value: statusIndexKey(userId, filter.status === 'completed') };
      indexed.add('status');
    } else if (filter.priority) {
      index = 'byPriority';
      partition = { name: 'userId', value: userId };
      indexed.add('priority');
    } else {
      partition = { name: TASKS_KEY.partitionKey, value: userId };
    }
    if (index === 'byPriority' && filter.priority) {
      // Within one priority the sort key is `rank#taskId`, so creation order and range still hold.
      sortKeyName = TASK_INDEXES.byPriority.sortKey;
      const rank = `${PRIORITY_RANK[filter.priority]}#`;
      useRange(created ?? { lo: LOWEST, hi: THROUGH }, created ? 'created' : 'priority', rank);
    } else {
      useRange(created, 'created');
    }
  } else if (filter.sort === 'dueDate') {
    if (filter.status) {
      index = 'byStatusDueDate';
      partition = { name: 'statusKey', value: statusIndexKey(userId, filter.status === 'completed') };
      indexed.add('status');
    } else {
      index = 'byDueDate';
      partition = { name: 'userId', value: userId };
    }
    sortKeyName = TASK_INDEXES[index].sortKey;
    useRange(due, 'due');
  } else {
    index = 'byPriority';
    partition = { name: 'userId', value: userId };
    sortKeyName = TASK_INDEXES.byPriority.sortKey;
    if (filter.priority) {
      values[':rank'] = `${PRIORITY_RANK[filter.priority]}#`;
      sortCondition = 'begins_with(#sk, :rank)';
      indexed.add('priority');
    }
  }

  names['#pk'] = partition.name;
  values[':pk'] = partition.value;
  if (sortCondition) names['#sk'] = sortKeyName;

  const filters: string[] = [];
  const addFilter = (name: string, expression: string, attributes: Record<string, string>, given: object) => {
    if (indexed.has(name)) return;
    filters.push(expression);
    Object.assign(names, attributes);
    Object.assign(values, given);
  };
  if (filter.categoryId) {
    addFilter(
      'categoryId',
      '#categoryId = :categoryId',
      { '#categoryId': 'categoryId' },
      {
        ':categoryId': filter.categoryId,
      },
    );
  }
  if (filter.status) {
    addFilter(
      'status',
      '#completed = :completed',
      { '#completed': 'completed' },
      {
        ':completed': filter.status === 'completed',
      },
    );
  }
  if (filter.priority) {
    addFilter(
      'priority',
      '#priority = :priority',
      { '#priority': 'priority' },
      { ':priority': filter.priority },
    );
  }
  if (due) {
    addFilter(
      'due',
      '#dueKey BETWEEN :dueLo AND :dueHi',
      { '#dueKey': 'dueKey' },
      {
        ':dueLo': due.lo,
        ':dueHi': due.hi,
      },
    );
  }
  if (created) {
    const iso = (value: string | undefined, fallback: string) =>
      value ? new Date(value).toISOString() : fallback;
    addFilter(
      'created',
      '#createdAt BETWEEN :createdLo AND :createdHi',
      { '#createdAt': 'createdAt' },
      {
        ':createdLo': iso(filter.createdAfter, LOWEST),
        ':createdHi': iso(filter.createdBefore, HIGHEST_DUE),
      },
    );
  }
  const terms = searchTerms(filter.q);
  terms.forEach((term, position) => {
    filters.push(`contains(#searchText, :q${position})`);
    names['#searchText'] = 'searchText';
    values[`:q${position}`] = term;
  });

  const indexKey = index ? TASK_INDEXES[index] : undefined;
  const keyAttributes = [
    ...new Set([
      TASKS_KEY.partitionKey,
      TASKS_KEY.sortKey,
      ...(indexKey ? [indexKey.partitionKey, indexKey.sortKey] : []),
    ]),
  ];
  return {
    index,
    keyCondition: sortCondition ? `#pk = :pk AND ${sortCondition}` : '#pk = :pk',
    filterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
    names,
    values,
    forward: (filter.order ?? DEFAULT_ORDER[filter.sort]) === 'asc',
    keyAttributes,
    fixed: { userId, [partition.name]: partition.value },
    indexedFilters: [...indexed],
    matchesNothing: created?.empty ?? false,
  };
}

/** Case-insensitive terms; every one must appear in the title or description. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean))].slice(0, 10);
}
