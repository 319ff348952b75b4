import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export interface Row {
  benchmark: string;
  ours: string;
  baseline: string;
  ratio: number;
  goal: string;
  pass: boolean;
}

/** Saves the results with the machine and date, and prints them as one table. */
export function saveAndPrint(name: string, rows: Row[], extra: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const document = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    rows,
    ...extra,
  };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  console.table(rows.map((row) => ({ ...row, ratio: row.ratio.toFixed(2) })));
  console.log(`saved bench/results/${name}.json`);
}
