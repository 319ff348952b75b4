import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { AwsClients, type DeployCommand, listStackResources } from '@tasktracker/deploy';
import { API_ROUTES, HANDLER_NAMES } from '@tasktracker/handlers';
import { npmTool, pythonTool } from '@tasktracker/local/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { useCli } from './harness.ts';

/** Every route of the table, and OPTIONS on each of its paths (the preflights). */
const GATEWAY_METHODS = API_ROUTES.length + new Set(API_ROUTES.map((route) => route.path)).size;

/**
 * Our stack deployed with the tools people already use, exactly as `tt package` prints the commands:
 * osls (seed 000), the SAM CLI (seed 001) and the AWS CLI, all against one moto server, one stage each
 * (their physical names would collide in one account otherwise). What moto does not do is said where
 * it shows (see shared/research/moto-cloudformation.md): it skips API keys and usage plans (so osls
 * prints no key), never runs a function (so nothing here invokes one), and `osls remove` of a stack with
 * API keys fails on it, so no stack is removed here: the moto server goes with the file.
 */
const moto = useMoto();
const cli = useCli();
const osls = await npmTool('osls');
const sam = await pythonTool('sam', 'deploy-tools');
const aws = await pythonTool('aws', 'deploy-tools');
const tools = Boolean(motoServer && osls && sam && aws);

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const REGION = 'us-east-1';
const ACCOUNT_BUCKET = 'tasktracker-artifacts-123456789012-us-east-1';
const SAM_BUCKET = 'sam-deploys';
const work = mkdtempSync(join(tmpdir(), 'tt-other-tools-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A checkout of its own (the real template and handler sources, linked), so that these builds never
 * share a build directory with the other suites that package the repository at the same time.
 */
function checkout(): string {
  const root = join(work, 'checkout');
  mkdirSync(join(root, 'cloudformation'), { recursive: true });
  mkdirSync(join(root, 'packages', 'handlers'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'tasktracker', private: true }));
  symlinkSync(
    join(REPO, 'cloudformation', 'tasktracker.yaml'),
    join(root, 'cloudformation', 'tasktracker.yaml'),
  );
  symlinkSync(join(REPO, 'packages', 'handlers', 'src'), join(root, 'packages', 'handlers', 'src'));
  return root;
}
const root = tools ? checkout() : '';

/** What a user's shell has: the pinned tools on PATH, dummy credentials, short polling for a local endpoint. */
const toolEnv = () => ({
  ...process.env,
  PATH: [
    dirname(process.execPath),
    osls ? join(dirname(dirname(dirname(osls))), '.bin') : '',
    sam ? dirname(sam) : '',
    process.env.PATH,
  ].join(':'),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: REGION,
  // How often osls and sam look at the stack while they wait (5 s each by default).
  SLS_AWS_MONITORING_FREQUENCY: '500',
  SAM_CLI_POLL_DELAY: '0.5',
  SAM_CLI_TELEMETRY: '0',
  SLS_TELEMETRY_DISABLED: '1',
});

/** Runs one printed command line as a shell would. */
function shell(line: string, timeoutMs = 180_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', line],
      { env: toolEnv(), timeout: timeoutMs, cwd: work },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

const ttPackage = (args: string[]) =>
  cli.run(['package', ...args, '--json'], { AWS_REGION: REGION }, { cwd: root, timeoutMs: 120_000 });

const clients = (region = REGION) =>
  new AwsClients({
    endpoint: moto.endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

/** The stack is complete: every handler's function exists with code (moto creates one without it for a wrong key). */
async function expectCompleteStack(stackName: string, stage: string, region = REGION): Promise<void> {
  const aws = clients(region);
  try {
    const { Stacks } = await aws.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    expect(Stacks?.[0]?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    const resources = await listStackResources(aws, stackName);
    const functions = resources.filter((resource) => resource.type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(HANDLER_NAMES.length);
    expect(resources.filter((resource) => resource.type === 'AWS::DynamoDB::Table')).toHaveLength(4);
    expect(resources.filter((resource) => resource.type === 'AWS::ApiGateway::Method')).toHaveLength(
      GATEWAY_METHODS,
    );
    for (const name of HANDLER_NAMES) {
      const fn = await aws.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: `tasktracker-${stage}-${name}` }),
      );
      expect(fn.CodeSize, name).toBeGreaterThan(0);
      expect(fn.Runtime).toBe('nodejs22.x');
    }
  } finally {
    aws.destroy();
  }
}

const lineOf = (commands: DeployCommand[], tool: DeployCommand['tool']) => {
  const command = commands.find((candidate) => candidate.tool === tool);
  if (!command) throw new Error(`tt package printed no ${tool} command`);
  return command.line;
};

describe.skipIf(!tools)('deploying the stack with osls, the SAM CLI and the AWS CLI (against moto)', () => {
  it('osls: deploys the generated service, lists every function and every route, skips an unchanged deploy', async () => {
    // osls's S3 client goes path-style only for an IP endpoint (with localhost it asks bucket.localhost).
    const service = join(work, 'osls');
    const packaged = await ttPackage([
      '--for',
      'osls',
      '--out',
      service,
      '--stage',
      'dev',
      '--target',
      moto.endpoint,
    ]);
    expect(packaged.code, packaged.stderr).toBe(0);
    const { commands, out } = packaged.json<{
      commands: DeployCommand[];
      out: { file: string; functions: number };
    }>();
    expect(out).toMatchObject({ file: join(service, 'serverless.yml'), functions: HANDLER_NAMES.length });
    const deploy = lineOf(commands, 'osls');
    expect(deploy).toBe(`cd ${service} && AWS_ENDPOINT_URL=${moto.endpoint} osls deploy --region ${REGION}`);

    const first = await shell(deploy);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Service deployed to stack tasktracker-dev/);
    await expectCompleteStack('tasktracker-dev', 'dev');

    const oslsInfo = await shell(`cd ${service} && AWS_ENDPOINT_URL=${moto.endpoint} osls info`);
    expect(oslsInfo.code, oslsInfo.out).toBe(0);
    for (const name of HANDLER_NAMES) expect(oslsInfo.out).toContain(`tasktracker-dev-${name}`);
    const endpoints = [
      ...oslsInfo.out.matchAll(
        /^ {2}(GET|POST|PUT|DELETE|OPTIONS) - https:\/\/\w+\.execute-api\.[\w-]+\.amazonaws\.com\/dev(\/\S*)$/gm,
      ),
    ].map((match) => `${match[1]} ${match[2]}`);
    const paths = [...new Set(API_ROUTES.map((route) => route.path))];
    expect(endpoints.sort()).toEqual(
      [
        ...API_ROUTES.map((route) => `${route.method} ${route.path}`),
        ...paths.map((path) => `OPTIONS ${path}`),
      ].sort(),
    );
    // moto's gap: it skips AWS::ApiGateway::ApiKey, so osls lists no key (on AWS: tasktracker-dev-default
    // and its value, under "api keys:").
    expect(oslsInfo.out).not.toContain('api keys:');

    // The CLI works against the tables osls created: their names are the stage's, as tt deploy makes them.
    const data = ['--target', moto.endpoint, '--stage', 'dev', '--user', 'osls-user'];
    const added = await cli.run(['tasks', 'add', 'Deployed with osls', ...data, '--json'], {
      AWS_REGION: REGION,
    });
    expect(added.code, added.stderr).toBe(0);
    const listed = await cli.run(['tasks', 'list', ...data, '--json'], { AWS_REGION: REGION });
    expect(listed.json<{ items: { title: string }[] }>().items.map((item) => item.title)).toEqual([
      'Deployed with osls',
    ]);

    // The stack has our name and the stage's table names, so tt's own view of it works too.
    const info = await cli.run(['info', '--target', moto.endpoint, '--stage', 'dev', '--json'], {
      AWS_REGION: REGION,
    });
    expect(info.code, info.stderr).toBe(0);
    expect(info.json<{ functionDetails: unknown[] }>().functionDetails).toHaveLength(HANDLER_NAMES.length);

    const second = await shell(deploy);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('No changes to deploy. Deployment skipped.');
  }, 240_000);

  it('aws cloudformation deploy and sam deploy of the packaged template, after tt package --upload', async () => {
    // moto reads a template URL path-style only when its host is "localhost".
    const endpoint = moto.endpoint.replace('127.0.0.1', 'localhost');
    const packaged = await ttPackage(['--upload', '--stage', 'staging', '--target', endpoint]);
    expect(packaged.code, packaged.stderr).toBe(0);
    const result = packaged.json<{
      commands: DeployCommand[];
      uploaded: { bucket: string; keys: string[] };
      artifacts: { key: string }[];
      template: { key: string; file: string };
    }>();
    expect(result.uploaded.bucket).toBe(ACCOUNT_BUCKET);
    expect(result.uploaded.keys).toEqual([...result.artifacts.map((a) => a.key), result.template.key]);
    const aws = clients();
    try {
      for (const key of result.uploaded.keys)
        await expect(
          aws.s3.send(new HeadObjectCommand({ Bucket: ACCOUNT_BUCKET, Key: key })),
        ).resolves.toBeDefined();
      // --upload stops there: no stack yet.
      await expect(
        aws.cloudformation.send(new DescribeStacksCommand({ StackName: 'tasktracker-staging' })),
      ).rejects.toThrow(/does not exist/);
    } finally {
      aws.destroy();
    }

    const awsLine = lineOf(result.commands, 'aws');
    expect(awsLine).toBe(
      `AWS_ENDPOINT_URL=${endpoint} aws cloudformation deploy --template-file ${result.template.file} --stack-name tasktracker-staging --s3-bucket ${ACCOUNT_BUCKET} --s3-prefix templates --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --parameter-overrides Stage=staging ArtifactBucket=${ACCOUNT_BUCKET} ArtifactPrefix=artifacts/ --tags tasktracker:stage=staging --no-fail-on-empty-changeset --region ${REGION}`,
    );
    const created = await shell(awsLine);
    expect(created.code, created.out).toBe(0);
    expect(created.out).toContain('Successfully created/updated stack - tasktracker-staging');
    await expectCompleteStack('tasktracker-staging', 'staging');

    // The printed sam deploy of the same packaged template, into another region (a stack of the same
    // stage can only be made once per region: the names are the stage's). Not into the same stack: moto
    // lists every resource as modified for sam's re-serialized copy of an unchanged template, then fails
    // to execute the change set (AWS answers "No changes to deploy").
    const west = await ttPackage([
      '--upload',
      '--stage',
      'staging',
      '--target',
      endpoint,
      '--region',
      'us-west-2',
    ]);
    expect(west.code, west.stderr).toBe(0);
    const samLine = lineOf(west.json<{ commands: DeployCommand[] }>().commands, 'sam');
    expect(samLine).toMatch(
      / sam deploy --template-file .* --s3-bucket tasktracker-artifacts-123456789012-us-west-2 .*--region us-west-2 --no-confirm-changeset$/,
    );
    const viaSam = await shell(samLine);
    expect(viaSam.code, viaSam.out).toBe(0);
    expect(viaSam.out).toContain('Successfully created/updated stack - tasktracker-staging in us-west-2');
    await expectCompleteStack('tasktracker-staging', 'staging', 'us-west-2');
  }, 240_000);

  it('tt package --for sam: the SAM CLI finds every route and every function it can run; sam deploy creates the stack', async () => {
    const endpoint = moto.endpoint.replace('127.0.0.1', 'localhost');
    const out = join(work, 'sam');
    // sam deploy uploads into a bucket that exists (tt deploy's, or any of yours).
    const aws = clients();
    await aws.s3.send(new CreateBucketCommand({ Bucket: SAM_BUCKET }));
    aws.destroy();
    const packaged = await ttPackage([
      '--for',
      'sam',
      '--out',
      out,
      '--stage',
      'prod',
      '--target',
      endpoint,
      '--artifact-bucket',
      SAM_BUCKET,
    ]);
    expect(packaged.code, packaged.stderr).toBe(0);
    const { commands } = packaged.json<{ commands: DeployCommand[] }>();

    // The providers behind `sam local start-api` and `sam local invoke`, asked without Docker.
    const python = join(dirname(sam as string), 'python');
    const providers = await shell(
      `${python} - ${join(out, 'template.yaml')} <<'EOF'\n${SAM_PROVIDERS}\nEOF`,
      60_000,
    );
    expect(providers.code, providers.out).toBe(0);
    const found = JSON.parse(providers.out.trim().split('\n').at(-1) as string) as {
      routes: string[];
      functions: { name: string; codeuri: string; handler: string; runtime: string; entry: boolean }[];
    };
    expect(found.routes).toHaveLength(GATEWAY_METHODS);
    expect(found.routes).toContain('POST /tasks tasktracker-prod-tasks-create');
    expect(found.routes).toContain('OPTIONS /tasks/{id} tasktracker-prod-cors-preflight');
    expect(found.functions).toHaveLength(HANDLER_NAMES.length);
    for (const fn of found.functions) {
      expect(fn, fn.name).toMatchObject({ handler: 'index.handler', runtime: 'nodejs22.x', entry: true });
      expect(fn.codeuri).toBe(join(out, 'functions', fn.name.replace('tasktracker-prod-', '')));
    }

    const deployed = await shell(lineOf(commands, 'sam'));
    expect(deployed.code, deployed.out).toBe(0);
    expect(deployed.out).toContain('Successfully created/updated stack - tasktracker-prod');
    await expectCompleteStack('tasktracker-prod', 'prod');
  }, 240_000);
});

describe('tt package options', () => {
  it('refuses a format it does not write, --upload where the tool uploads, and --out for the plain template', async () => {
    const cases: [string[], RegExp][] = [
      [['--for', 'cdk'], /--for takes cloudformation, osls, sam, not "cdk"/],
      [
        ['--for', 'sam', '--upload'],
        /--upload is for the packaged template: sam deploy uploads the code itself/,
      ],
      [['--for', 'osls', '--upload'], /osls deploy uploads the code itself/],
      [['--out', work], /--out is for --for osls or sam/],
      [['--upload'], /tt package --upload needs --target aws, localstack or an endpoint URL/],
    ];
    for (const [args, message] of cases) {
      const result = await cli.run(['package', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});

/** Asks the SAM CLI's own route and function providers what they find in a template (argv[1]). */
const SAM_PROVIDERS = `
import json, os, sys

from samcli.lib.providers.api_provider import ApiProvider
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider
stacks, _ = SamLocalStackProvider.get_stacks(sys.argv[1])
names = {f.name: f.functionname for f in SamFunctionProvider(stacks).get_all()}
functions = [
    {"name": f.functionname, "codeuri": f.codeuri, "handler": f.handler, "runtime": f.runtime,
     "entry": bool(f.codeuri) and os.path.isfile(os.path.join(f.codeuri, "index.mjs"))}
    for f in SamFunctionProvider(stacks).get_all()
]
routes = sorted(f"{m} {r.path} {names.get(r.function_name, r.function_name)}" for r in ApiProvider(stacks).routes for m in r.methods)
print(json.dumps({"routes": routes, "functions": functions}))
`;
