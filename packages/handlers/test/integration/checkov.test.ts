import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pythonTool, REPO_ROOT } from '@tasktracker/local/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../support/template.ts';

/**
 * checkov (tools/python-checkov.txt, its own venv) on the template: no failed check. A check we do not
 * meet is skipped on its resource with a reason (Metadata: checkov: skip), and the README lists it.
 */
const run = promisify(execFile);
const checkov = await pythonTool('checkov', 'checkov');
const work = await mkdtemp(join(tmpdir(), 'tasktracker-checkov-'));
afterAll(() => rm(work, { recursive: true, force: true }));

interface CheckovCheck {
  check_id: string;
  resource: string;
  check_result: { result: string; suppress_comment?: string };
}
interface CheckovReport {
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
  results: { failed_checks: CheckovCheck[]; skipped_checks: CheckovCheck[] };
}

/** checkov's JSON report on one file; it exits 1 when a check fails, which is an answer, not an error. */
async function scan(file: string): Promise<CheckovReport> {
  // --skip-download: no call to Prisma Cloud for guidelines (offline, and nothing of ours leaves).
  const args = ['-f', file, '--framework', 'cloudformation', '--skip-download', '--output', 'json'];
  const stdout = await run(checkov!, args, { maxBuffer: 64 << 20, timeout: 240_000 }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  return JSON.parse(stdout) as CheckovReport;
}

const failed = (report: CheckovReport) =>
  report.results.failed_checks.map((check) => `${check.check_id} ${check.resource}`);

describe.skipIf(!checkov)('checkov on cloudformation/tasktracker.yaml', () => {
  it('fails no check; each skipped one says why on its resource, and the README lists it', async () => {
    const report = await scan(TEMPLATE_PATH);
    expect(failed(report)).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(250);
    const skipped = report.results.skipped_checks;
    expect(skipped.length).toBeGreaterThan(0);
    for (const check of skipped)
      expect(
        check.check_result.suppress_comment?.length ?? 0,
        `${check.check_id} ${check.resource}`,
      ).toBeGreaterThan(20);
    const readme = await readFile(`${REPO_ROOT}README.md`, 'utf8');
    for (const id of new Set(skipped.map((check) => check.check_id)))
      expect(readme, id).toContain(`\`${id}\``);
  }, 300_000);

  it('catches a function without reserved concurrency (the import function could take the account)', async () => {
    const text = await readFile(TEMPLATE_PATH, 'utf8');
    const unreserved = text.replace(/ {6}ReservedConcurrentExecutions:\n {8}!If \[[^\n]*\n/g, '');
    expect(unreserved).not.toBe(text);
    const file = join(work, 'unreserved.yaml');
    await writeFile(file, unreserved);
    const report = await scan(file);
    expect(failed(report)).toContain('CKV_AWS_115 AWS::Lambda::Function.ImportsProcessFunction');
    expect(new Set(report.results.failed_checks.map((check) => check.check_id))).toEqual(
      new Set(['CKV_AWS_115']),
    );
  }, 300_000);
});
