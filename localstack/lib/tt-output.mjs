// Reads what tt printed with --json, for localstack/e2e.sh.
//
//   node localstack/lib/tt-output.mjs titled <tasks.json> <prefix>      tasks whose title starts with prefix
//   node localstack/lib/tt-output.mjs import-logs <logs.jsonl> <key>    what tt logs shows of one import
//
// titled prints a count. import-logs prints {done, failed, typed}: the "import record done" lines about
// the key, the "import failed" lines, and whether every logged error is typed by its own name (a bundle
// whose minifier renamed the error classes logged "type":"t").
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function titled(tasks, prefix) {
  return (tasks.items ?? []).filter((task) => String(task.title).startsWith(prefix)).length;
}

/** tt logs --json: one LogLine a line ({level, message, fields, ...}). */
export function importLogs(lines, objectKey) {
  const about = (line) => line.fields?.objectKey === objectKey;
  const failed = lines.filter((line) => line.message === 'import failed');
  return {
    done: lines.filter((line) => line.message === 'import record done' && about(line)).length,
    failed: failed.length,
    typed: failed.every(({ fields }) => {
      const { type, name } = fields?.err ?? {};
      return /^[A-Z][A-Za-z]{2,}$/.test(type ?? '') && (name === undefined || name === type);
    }),
  };
}

const COMMANDS = {
  titled: (file, prefix) => titled(JSON.parse(readFileSync(file, 'utf8')), prefix),
  'import-logs': (file, key) =>
    importLogs(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
      key,
    ),
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, file, argument] = process.argv.slice(2);
  if (!COMMANDS[command] || !file || !argument) {
    process.stderr.write(
      `usage: node localstack/lib/tt-output.mjs (${Object.keys(COMMANDS).join('|')}) <file> <argument>\n`,
    );
    process.exit(64);
  }
  const result = COMMANDS[command](file, argument);
  process.stdout.write(`${typeof result === 'number' ? result : JSON.stringify(result)}\n`);
}
