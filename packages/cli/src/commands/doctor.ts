import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { defaultTableNames } from '@tasktracker/core';
import { defaultDataDir, findJava, localDynamoClient, runningEngine } from '@tasktracker/local';
import { renderTable } from '../format/table.ts';
import { NODE_FLOOR, nodeIsSupported } from '../node-floor.ts';
import { ExitCode, withGlobals } from '../runtime/action.ts';
import { openProject } from '../runtime/infrastructure.ts';
import { outputFor, settingsFor } from '../runtime/session.ts';
import { clientConfig, describeTarget, parseTarget } from '../runtime/target.ts';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const message = (error: unknown) => ((error as Error)?.message ?? String(error)).split('\n')[0] ?? '';

export const runDoctor = withGlobals(async (globals) => {
  const output = outputFor(globals);
  const settings = settingsFor(globals);
  const target = parseTarget(settings.target, settings.endpoint);
  const tables = { ...defaultTableNames(settings.stage ?? 'dev'), ...settings.tables };
  const checks: Check[] = [];
  checks.push({
    name: 'node',
    ok: nodeIsSupported(process.versions.node),
    detail: process.version,
    fix: `install Node.js ${NODE_FLOOR} or newer (Node 22 LTS)`,
  });
  // What tt package, deploy, validate and local serve will use.
  checks.push({
    name: 'infrastructure',
    ...(() => {
      try {
        return { ok: true, detail: openProject().description };
      } catch (error) {
        return { ok: false, detail: message(error) };
      }
    })(),
    fix: 'reinstall @tasktracker/cli (its package carries the template and handlers), or run inside a checkout',
  });

  let client: DynamoDBClient | undefined;
  if (target.kind === 'local') {
    const java = await findJava().then(
      (found) => ({ ok: true, detail: `Java ${found.version} at ${found.path}` }),
      (error: unknown) => ({ ok: false, detail: message(error) }),
    );
    checks.push({
      name: 'java',
      ...java,
      fix: 'apt-get install openjdk-17-jre-headless, or use --endpoint/--target',
    });
    const engine = await runningEngine(defaultDataDir());
    checks.push({
      name: 'engine',
      ok: Boolean(engine),
      detail: engine
        ? `running at ${engine.endpoint} (pid ${engine.pid})`
        : `not running (data in ${defaultDataDir()})`,
      fix: 'tt local start (any command also starts it)',
    });
    if (engine) client = localDynamoClient(engine.endpoint);
  } else {
    client = new DynamoDBClient({ ...clientConfig(target, settings), maxAttempts: 1 });
    const credentials = await client.config.credentials().then(
      (found) => ({ ok: true, detail: `access key ${found.accessKeyId.slice(0, 4)}…` }),
      (error: unknown) => ({ ok: false, detail: message(error) }),
    );
    checks.push({
      name: 'credentials',
      ...credentials,
      fix: 'set AWS_PROFILE (aws sso login) or AWS_ACCESS_KEY_ID',
    });
  }

  if (client) {
    const reach = await client.send(new ListTablesCommand({ Limit: 1 })).then(
      () => ({ ok: true, detail: `${describeTarget(target)} answers` }),
      (error: unknown) => ({ ok: false, detail: message(error) }),
    );
    checks.push({
      name: 'endpoint',
      ...reach,
      fix: 'check --endpoint / AWS_ENDPOINT_URL, the region and the network',
    });
    if (reach.ok) {
      for (const [role, name] of Object.entries(tables)) {
        const table = await client.send(new DescribeTableCommand({ TableName: name })).then(
          (found) => ({
            ok: found.Table?.TableStatus === 'ACTIVE',
            detail: `${name} ${found.Table?.TableStatus}`,
          }),
          (error: unknown) => ({ ok: false, detail: `${name}: ${message(error)}` }),
        );
        checks.push({
          name: `table ${role}`,
          ...table,
          fix:
            target.kind === 'local'
              ? 'tt local start creates the tables'
              : 'deploy the stack for this stage (tt deploy)',
        });
      }
    }
    client.destroy();
  }

  const failed = checks.filter((check) => !check.ok);
  output.result(
    { target: describeTarget(target), ok: failed.length === 0, checks },
    () =>
      renderTable(
        ['', 'CHECK', 'DETAIL'],
        checks.map((check) => [
          check.ok ? output.paint('green', 'ok') : output.paint('red', 'FAIL'),
          check.name,
          check.detail,
        ]),
      ) + failed.map((check) => `\n${output.paint('red', check.name)}: ${check.fix}`).join(''),
  );
  return failed.length > 0 ? new ExitCode(1) : undefined;
});
