import type { CreateTaskInput } from '@tasktracker/core';

/** mulberry32: a tiny seeded PRNG; the same seed gives the same data on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const VERBS = [
  'Write',
  'Review',
  'Call about',
  'Plan',
  'Fix',
  'Buy',
  'Email',
  'Book',
  'Clean',
  'Prepare',
  'Update',
  'Schedule',
  'Pay',
  'Read',
  'Sort out',
];
const THINGS = [
  'the quarterly report',
  'dentist appointment',
  'groceries',
  'team meeting notes',
  'garden shed',
  'tax return',
  'birthday present for Sam',
  'car service',
  'budget spreadsheet',
  'project roadmap',
  'flights to Lisbon',
  'kitchen sink',
  'blog post draft',
  'onboarding guide',
  'insurance renewal',
  'library books',
  'gym membership',
  'conference talk',
  'invoice #1042',
  'bike repair',
];
const DETAILS = [
  'Check with the team first.',
  'Needs the numbers from last month.',
  'Before the weekend.',
  'Ask for a quote.',
  'Keep the receipt.',
  'Two options to compare.',
  'Waiting on a reply.',
  '',
];
export const CATEGORY_NAMES = [
  'Work',
  'Home',
  'Errands',
  'Health',
  'Finance',
  'Learning',
  'Travel',
  'Garden',
  'Family',
  'Side project',
];
const COLORS = [
  '#1E90FF',
  '#2E8B57',
  '#FF8C00',
  '#DC143C',
  '#6A5ACD',
  '#20B2AA',
  '#DAA520',
  '#556B2F',
  '#C71585',
  '#708090',
];

export function seedCategories(count: number) {
  return Array.from({ length: count }, (_, n) => ({
    name: n < CATEGORY_NAMES.length ? (CATEGORY_NAMES[n] as string) : `Category ${n + 1}`,
    color: COLORS[n % COLORS.length] as string,
  }));
}

const pick = <T>(next: () => number, items: readonly T[]) => items[Math.floor(next() * items.length)] as T;

const localDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/**
 * Realistic tasks: most are open, a fifth have no category, due dates spread from two weeks ago to six
 * weeks ahead of `today`. Everything but the dates depends only on the seed.
 */
export function seedTasks(
  count: number,
  seed: number,
  categoryIds: string[],
  today = new Date(),
): CreateTaskInput[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const detail = pick(next, DETAILS);
    const due = next() < 0.7 ? Math.floor(next() * 56) - 14 : undefined;
    const category = categoryIds.length > 0 && next() < 0.8 ? pick(next, categoryIds) : undefined;
    const roll = next();
    return {
      title: `${pick(next, VERBS)} ${pick(next, THINGS)}`,
      ...(detail ? { description: detail } : {}),
      priority: roll < 0.2 ? 'high' : roll < 0.75 ? 'medium' : 'low',
      completed: next() < 0.25,
      ...(category ? { categoryId: category } : {}),
      ...(due !== undefined
        ? { dueDate: localDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() + due)) }
        : {}),
    };
  });
}
