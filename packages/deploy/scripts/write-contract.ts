// `pnpm run contract`: writes what the request schemas generate into the files that carry it, the
// OpenAPI document (docs/openapi.json) and the API Gateway models of the CloudFormation template. Tests
// hold both equal to the generated ones, so a schema change without this run fails CI with a hint.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '@tasktracker/handlers';
import { withCurrentModels } from '../src/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const templateFile = `${root}cloudformation/tasktracker.yaml`;

await mkdir(`${root}docs`, { recursive: true });
await writeFile(`${root}docs/openapi.json`, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
const template = await readFile(templateFile, 'utf8');
const updated = withCurrentModels(template);
if (updated !== template) await writeFile(templateFile, updated);
process.stdout.write(
  `wrote docs/openapi.json; the template's models are ${updated === template ? 'unchanged' : 'updated'}\n`,
);
