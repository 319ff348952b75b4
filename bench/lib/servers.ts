/**
 * Benchmark targets as child processes: output to a file rather than a pipe (draining a pipe would cost
 * the measuring process CPU), readiness read from that file, CPU time read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  log: string;
}

/** Runs `node args` with its output to a file in `dir`; resolves once `ready(log)` finds what it waits for in it. */
export async function startServer(
  dir: string,
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  ready: (log: string) => string | undefined,
): Promise<Server> {
  const log = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.log`);
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', out, out] });
  for (let waited = 0; waited < 60_000; waited += 100) {
    const text = readFileSync(log, 'utf8');
    const url = ready(text);
    if (url) return { name, url, child, log };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGINT');
  throw new Error(`${name} did not start; its output:\n${readFileSync(log, 'utf8').slice(-3000)}`);
}

export const firstJsonUrl = (text: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith('{"url"'));
  return line ? (JSON.parse(line) as { url: string }).url : undefined;
};

/** User + system CPU time of a process so far, from /proc (Linux), in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the file, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
