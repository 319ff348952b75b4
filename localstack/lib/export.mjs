// GET /tasks/export past the stack's inline limit (e2e.sh deploys with ExportInlineLimitBytes=4096): the
// answer is a presigned link instead of the file, and the link downloads the whole CSV from S3.
//
//   node localstack/lib/export.mjs --base <stage URL> --api-key <value> --rows <n> [--title-prefix <text>]
//
// Prints {rows, bytes, host} and exits 0, or names what is wrong and exits 1.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

class ExportCheckFailed extends Error {}
const expect = (condition, message) => {
  if (!condition) throw new ExportCheckFailed(message);
};

/** The export through its link: `rows` data rows, `titlePrefix` in each of them when given. */
export async function checkLargeExport({ base, apiKey, rows, titlePrefix }) {
  const answer = await fetch(`${base}/tasks/export?format=csv`, {
    headers: { 'x-api-key': apiKey, 'x-correlation-id': `e2e-export-${process.pid}` },
    signal: AbortSignal.timeout(60_000),
  });
  const text = await answer.text();
  expect(answer.status === 200, `status ${answer.status}: ${text.slice(0, 300)}`);
  expect(
    answer.headers.get('content-type')?.startsWith('application/json'),
    'the file came inline, not a link',
  );
  const { data } = JSON.parse(text);
  expect(
    typeof data?.url === 'string' && data.rows === rows,
    `answer ${text.slice(0, 300)}, expected ${rows} rows`,
  );
  expect(Date.parse(data.expiresAt) > Date.now(), `the link expires at ${data.expiresAt}`);

  // The link is S3's, not the API's: no API key, and the bucket stays private to anyone without it.
  const file = await fetch(data.url, { signal: AbortSignal.timeout(60_000) });
  const csv = await file.text();
  expect(file.status === 200, `the link answered ${file.status}: ${csv.slice(0, 300)}`);
  expect(
    /attachment; filename="tasks\.csv"/.test(file.headers.get('content-disposition') ?? ''),
    `Content-Disposition "${file.headers.get('content-disposition')}"`,
  );
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]?.startsWith('taskId,title,'), `header "${lines[0]}"`);
  expect(lines.length - 1 === rows, `${lines.length - 1} rows in the file, expected ${rows}`);
  expect(
    Buffer.byteLength(csv) === data.bytes,
    `${Buffer.byteLength(csv)} bytes, the answer said ${data.bytes}`,
  );
  if (titlePrefix) {
    const titled = lines.slice(1).filter((line) => line.split(',')[1]?.startsWith(titlePrefix));
    expect(titled.length === rows, `${titled.length} rows titled "${titlePrefix}...", expected ${rows}`);
  }
  const job = await checkExportJob({ base, apiKey, rows, csv });
  return { rows, bytes: data.bytes, host: new URL(data.url).host, job };
}

/**
 * The same export as a job (async=true): 202 with a pending job, which the export function runs in an
 * asynchronous invocation of itself (InvocationType Event); GET /exports/{id} follows it to its link,
 * whose file is the one the synchronous export gave.
 */
export async function checkExportJob({ base, apiKey, rows, csv }) {
  const headers = { 'x-api-key': apiKey };
  const started = await fetch(`${base}/tasks/export?format=csv&async=true`, {
    headers,
    signal: AbortSignal.timeout(60_000),
  });
  const startText = await started.text();
  expect(started.status === 202, `async export: status ${started.status}: ${startText.slice(0, 300)}`);
  const { data: pending } = JSON.parse(startText);
  expect(pending?.status === 'pending', `async export: ${startText.slice(0, 300)}`);
  let job = pending;
  let polls = 0;
  const deadline = Date.now() + 120_000;
  while (job.status === 'pending' || job.status === 'running') {
    expect(Date.now() < deadline, `export job ${job.exportId} still ${job.status} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answer = await fetch(`${base}/exports/${job.exportId}`, {
      headers,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await answer.text();
    expect(answer.status === 200, `GET /exports/${job.exportId}: ${answer.status}: ${text.slice(0, 300)}`);
    job = JSON.parse(text).data;
    polls++;
  }
  expect(job.status === 'succeeded' && job.rows === rows, `export job ended ${JSON.stringify(job)}`);
  const file = await fetch(job.url, { signal: AbortSignal.timeout(60_000) });
  expect((await file.text()) === csv, 'the job wrote another file than the synchronous export');
  return { status: job.status, rows: job.rows, polls };
}

async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      'api-key': { type: 'string' },
      rows: { type: 'string' },
      'title-prefix': { type: 'string' },
    },
  });
  if (!values.base || !values['api-key'] || !values.rows) {
    process.stderr.write(
      'usage: node localstack/lib/export.mjs --base <url> --api-key <value> --rows <n> [--title-prefix <text>]\n',
    );
    process.exit(64);
  }
  try {
    const report = await checkLargeExport({
      base: values.base,
      apiKey: values['api-key'],
      rows: Number(values.rows),
      titlePrefix: values['title-prefix'],
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    process.stderr.write(`large export: ${error.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
