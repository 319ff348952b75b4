/**
 * `pnpm bench`: every `bench:*` script of the root package.json, one after another (read at run time,
 * so a suite added there is run here too), then one table of every bench/results/*.json.
 *   --report     skip the runs; only print the table of the saved results
 *   --markdown   print the table as Markdown
 *   --readme     write that Markdown into README.md, between the bench:table markers
 * A suite that fails is reported and the others still run; the exit code says whether any failed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR, type Row } from './lib/report.ts';

/** The cheap and self-contained suites first; any suite not named here runs after these. */
const ORDER = ['core', 'bundles', 'deploy', 'idempotency', 'api', 'data', 'cli', 'first-command', 'loadtest'];

const { values: flags } = parseArgs({
  options: {
    report: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
  },
});
const root = join(import.meta.dirname, '..');

function benchScripts(): string[] {
  const { scripts = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const rank = (name: string) => {
    const position = ORDER.indexOf(name.slice('bench:'.length));
    return position < 0 ? ORDER.length : position;
  };
  return Object.keys(scripts)
    .filter((name) => name.startsWith('bench:'))
    .sort((a, b) => rank(a) - rank(b));
}

const failed: string[] = [];
if (!flags.report) {
  for (const script of benchScripts()) {
    console.log(`\n=== pnpm ${script}`);
    const started = performance.now();
    try {
      execFileSync('pnpm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    } catch {
      failed.push(script);
    }
    console.log(`=== ${script}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

interface Results {
  date: string;
  machine?: { cpus?: number; cpuModel?: string };
  rows: Row[];
}

/** Rows whose goal says they are reported, not judged. */
const informational = (goal: string) => /^info|reported only/i.test(goal);
const verdict = (row: Row) => (informational(row.goal) ? 'info' : row.pass ? 'pass' : 'FAIL');

const suites = readdirSync(RESULTS_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    suite: file.replace(/\.json$/, ''),
    ...(JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as Results),
  }));
const table = suites.flatMap(({ suite, rows }) =>
  rows.map((row) => ({
    suite,
    benchmark: row.benchmark,
    ours: row.ours,
    baseline: row.baseline,
    ratio: row.ratio.toFixed(2),
    goal: row.goal,
    result: verdict(row),
  })),
);
const runs = suites.map(
  ({ suite, date, machine }) => `${suite} ${date.slice(0, 16)}Z (${machine?.cpus ?? '?'} CPUs)`,
);

/** A Markdown table with padded columns: the shape Biome's formatter gives the README's tables. */
function markdown(): string {
  const columns = ['suite', 'benchmark', 'ours', 'baseline', 'ratio', 'goal', 'result'] as const;
  const cells = [
    [...columns],
    ...table.map((row) => columns.map((column) => row[column].replaceAll('|', '\\|'))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: string[]) =>
    `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(cells[0] ?? []),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.slice(1).map(line),
    '',
    `Measured: ${runs.join('; ')}.`,
  ].join('\n');
}

if (flags.readme) {
  // Only the text between the markers is ours: the rest of the README is edited by hand.
  const readme = join(root, 'README.md');
  const [start, end] = ['<!-- bench:table:start -->', '<!-- bench:table:end -->'];
  const text = readFileSync(readme, 'utf8');
  const [from, to] = [text.indexOf(start), text.indexOf(end)];
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${markdown()}\n${text.slice(to)}`);
  console.log('README.md: results table updated');
} else if (flags.markdown) {
  console.log(markdown());
} else {
  console.table(table);
  console.log(`measured: ${runs.join('; ')}`);
}
const judged = table.filter((row) => row.result !== 'info');
console.log(
  `${judged.filter((row) => row.result === 'pass').length} of ${judged.length} goals met` +
    (failed.length > 0 ? `; suites that did not finish: ${failed.join(', ')}` : ''),
);
if (failed.length > 0) process.exitCode = 1;
