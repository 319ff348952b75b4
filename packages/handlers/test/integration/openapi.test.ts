import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pythonTool } from '@tasktracker/local/testing';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DOCUMENT_FILE = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));
const validator = await pythonTool('openapi-spec-validator');

describe('the OpenAPI document', () => {
  // The committed copy, which a unit test holds equal to the generated document.
  it.skipIf(!validator)('is a valid OpenAPI 3.1 document for openapi-spec-validator', async () => {
    const { stdout } = await run(validator as string, [DOCUMENT_FILE]);
    expect(stdout).toMatch(/OK/);
  });
});
