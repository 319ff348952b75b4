/**
 * `pnpm bench:deploy`: the deployer against moto server, side by side in one run. Each round resets
 * moto (a fresh account), then times through the real `tt` binary:
 *   - the first deploy (creates the artifact bucket and the stack) against a no-op redeploy;
 *   - `tt package` from scratch (every bundle built and zipped) against a package with nothing changed.
 * Wall time and AWS API calls per command; medians over the rounds. Results: bench/results/deploy.json.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireCheckout } from '@tasktracker/deploy';
import { findMotoServer, startMotoServer } from '@tasktracker/local/testing';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const project = requireCheckout();
const TT = join(project.root, 'packages', 'cli', 'dist', 'tt.mjs');
const STAGE = 'staging';

const binary = await findMotoServer();
if (!binary) throw new Error('moto_server is needed: see tools/python-requirements.txt');
const moto = await startMotoServer(binary);
// 127.0.0.1 as moto listens: the deployer sends loopback TemplateURLs as localhost itself.
const target = moto.endpoint;
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
};

async function timed(args: string[]): Promise<{ ms: number; calls: number; result: string }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [TT, ...args, '--stage', STAGE, '--json'], {
    env,
    maxBuffer: 2 ** 26,
  });
  const ms = performance.now() - started;
  const document = JSON.parse(stdout) as { result?: string; reused?: boolean; apiCalls?: { total: number } };
  return {
    ms,
    calls: document.apiCalls?.total ?? 0,
    result: document.result ?? (document.reused ? 'reused' : 'built'),
  };
}

const samples = {
  first: [] as number[],
  noop: [] as number[],
  fresh: [] as number[],
  cached: [] as number[],
};
const calls = { first: 0, noop: 0 };
try {
  for (let round = 1; round <= ROUNDS; round += 1) {
    await moto.reset();
    rmSync(project.buildDir(STAGE), { recursive: true, force: true });
    const fresh = await timed(['package']);
    const cached = await timed(['package']);
    const first = await timed(['deploy', '--target', target]);
    const noop = await timed(['deploy', '--target', target]);
    if (first.result !== 'deployed' || noop.result !== 'no-changes' || cached.result !== 'reused')
      throw new Error(`unexpected results: ${JSON.stringify({ fresh, cached, first, noop })}`);
    samples.fresh.push(fresh.ms);
    samples.cached.push(cached.ms);
    samples.first.push(first.ms);
    samples.noop.push(noop.ms);
    calls.first = first.calls;
    calls.noop = noop.calls;
    console.log(
      `round ${round}: package ${fresh.ms.toFixed(0)} / ${cached.ms.toFixed(0)} ms, deploy ${first.ms.toFixed(0)} ms (${first.calls} calls) / no-op ${noop.ms.toFixed(0)} ms (${noop.calls} calls)`,
    );
  }
} finally {
  moto.stop();
}

const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
const m = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)])) as Record<
  keyof typeof samples,
  number
>;
const rows: Row[] = [
  {
    benchmark: 'no-op redeploy vs first deploy (wall)',
    ours: ms(m.noop),
    baseline: ms(m.first),
    ratio: m.noop / m.first,
    goal: 'no-op < 3 s',
    pass: m.noop < 3_000,
  },
  {
    benchmark: 'no-op redeploy vs first deploy (AWS API calls)',
    ours: String(calls.noop),
    baseline: String(calls.first),
    ratio: calls.noop / calls.first,
    goal: 'no change set',
    pass: calls.noop <= 5,
  },
  {
    benchmark: 'tt package, nothing changed vs from scratch (16 handlers)',
    ours: ms(m.cached),
    baseline: ms(m.fresh),
    ratio: m.cached / m.fresh,
    goal: 'informational',
    pass: true,
  },
];
saveAndPrint('deploy', rows, {
  rounds: ROUNDS,
  samplesMs: samples,
  apiCalls: calls,
  target: 'moto server 5.2.5',
});
