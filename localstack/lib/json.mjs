// One value out of a JSON document, for localstack/e2e.sh (node is always there; jq may not be).
//
//   node localstack/lib/json.mjs <file|-> <path>
//
// A path is keys and array indexes joined by dots (`summary.apiKeyId`, `checks.0.name`). Strings print
// as they are, anything else as JSON, a path that leads nowhere as nothing (the script compares what it
// gets). A file that is not JSON exits 2, showing what it holds instead.
import { readFileSync } from 'node:fs';

const [file, path = ''] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node localstack/lib/json.mjs <file|-> <path>\n');
  process.exit(64);
}

const text = readFileSync(file === '-' ? 0 : file, 'utf8');
let value;
try {
  value = JSON.parse(text);
} catch {
  process.stderr.write(`not JSON: ${JSON.stringify(text.slice(0, 300))}\n`);
  process.exit(2);
}

for (const key of path.split('.').filter(Boolean)) {
  if (value === null || typeof value !== 'object') {
    value = undefined;
    break;
  }
  value = value[key];
}

if (value !== undefined && value !== null) {
  process.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value)}\n`);
}
