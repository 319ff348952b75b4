import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_ROUTES, HANDLER_NAMES } from '@tasktracker/handlers';
import { findJava } from '@tasktracker/local';
import { findMotoServer, type MotoServer, npmTool, startMotoServer } from '@tasktracker/local/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exec, publishablePackages } from '../support/published.ts';

/** Every route of the table, and OPTIONS on each of its paths (the preflights). */
const GATEWAY_METHODS = API_ROUTES.length + new Set(API_ROUTES.map((route) => route.path)).size;

const project = inject('installedProject');
const work = await mkdtemp(path.join(tmpdir(), 'tt-installed-'));
const elsewhere = path.join(work, 'elsewhere');
const env = {
  ...process.env,
  TASKTRACKER_DATA_DIR: path.join(work, 'data'),
  XDG_CACHE_HOME: path.join(work, 'cache'),
  XDG_CONFIG_HOME: path.join(work, 'config'),
  NO_COLOR: '1',
};
const bin = path.join(project, 'node_modules', '.bin', 'tt');
const tt = (args: string[], cwd = elsewhere) => exec(bin, args, { cwd, env });

let moto: MotoServer | undefined;

beforeAll(async () => {
  // Java runs the installed package's own DynamoDB Local; in CI its absence fails the run.
  await findJava();
  await mkdir(elsewhere, { recursive: true });
  const motoBinary = await findMotoServer();
  if (!motoBinary) throw new Error('moto_server is needed for the deploy checks of the installed CLI');
  moto = await startMotoServer(motoBinary);
});

afterAll(async () => {
  await tt(['local', 'stop']);
  moto?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the CLI, installed with npm in a project outside the repository', () => {
  it('publishes exactly the core library and the CLI; every other package is private', () => {
    expect(publishablePackages().map((pkg) => pkg.name)).toEqual(['@tasktracker/cli', '@tasktracker/core']);
  });

  it('installs from registry dependencies only: no workspace leftovers, nothing bundled listed again', async () => {
    const cli = JSON.parse(
      await readFile(path.join(project, 'node_modules', '@tasktracker', 'cli', 'package.json'), 'utf8'),
    );
    expect(JSON.stringify(cli)).not.toContain('workspace:');
    // Everything else the CLI runs is inside its bundle.
    expect(Object.keys(cli.dependencies).sort()).toEqual(['@20minutes/s3rver', 'amplify-dynamodb-simulator']);
    expect(cli.devDependencies).toBeUndefined();
    const ls = await exec('npm', ['ls', '--all', '--json'], { cwd: project, env });
    expect(JSON.parse(ls.stdout).problems ?? []).toEqual([]);
  });

  it('runs the installed tt from a directory that is not a checkout: add and list on the embedded engine', async () => {
    const added = await tt(['tasks', 'add', 'Buy milk', '--priority', 'high', '--json']);
    expect(added.stderr).toMatch(/started the local engine/);
    expect(added.code).toBe(0);
    const task = JSON.parse(added.stdout);
    const listed = await tt(['tasks', 'list', '--json']);
    expect(JSON.parse(listed.stdout).items.map((item: { taskId: string }) => item.taskId)).toEqual([
      task.taskId,
    ]);
    const doctor = await tt(['doctor', '--json']);
    const checks = JSON.parse(doctor.stdout).checks as { name: string; ok: boolean; detail: string }[];
    expect(checks.find((check) => check.name === 'infrastructure')?.detail).toMatch(
      /^embedded in @tasktracker\/cli/,
    );
    expect(doctor.code).toBe(0);
  });

  it('serves the API from the embedded template: GET /health, POST /tasks with a key', async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const server = spawn(bin, ['local', 'serve', '--port', String(port)], { cwd: elsewhere, env });
    try {
      let output = '';
      server.stdout.on('data', (chunk) => {
        output += chunk;
      });
      await expect
        .poll(() => output, { timeout: 60_000, interval: 200 })
        .toMatch(
          new RegExp(
            `tasktracker API on http://127\\.0\\.0\\.1:\\d+ \\(${GATEWAY_METHODS} routes from .*node_modules`,
          ),
        );
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const created = await fetch(`http://127.0.0.1:${port}/tasks`, {
        method: 'POST',
        headers: { 'x-api-key': 'installed-key', 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'From the installed API' }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ data: { title: 'From the installed API' } });
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('packages the embedded handlers, then deploys, shows and destroys the stack on moto', async () => {
    const packaged = await tt(['package', '--json']);
    expect(packaged.code).toBe(0);
    const manifest = JSON.parse(packaged.stdout);
    expect(manifest.artifacts).toHaveLength(HANDLER_NAMES.length);
    expect(manifest.dir.startsWith(env.XDG_CACHE_HOME)).toBe(true);
    const again = JSON.parse((await tt(['package', '--json'])).stdout);
    expect(again.reused).toBe(true);

    const target = ['--target', moto!.endpoint.replace('127.0.0.1', 'localhost'), '--stage', 'dev'];
    const deployed = await tt(['deploy', ...target, '--yes', '--json']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(JSON.parse(deployed.stdout).result).toBe('deployed');
    const info = await tt(['info', ...target, '--json']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).functionDetails).toHaveLength(HANDLER_NAMES.length);
    const destroyed = await tt(['destroy', ...target, '--yes', '--json']);
    expect(JSON.parse(destroyed.stdout).result).toBe('destroyed');
  });

  it('generates the osls service and the SAM template from the embedded infrastructure', async () => {
    const embedded = JSON.parse(
      await readFile(
        path.join(project, 'node_modules', '@tasktracker', 'cli', 'dist', 'infra', 'infrastructure.json'),
        'utf8',
      ),
    ) as { artifacts: { name: string; sha256: string }[] };
    const names = embedded.artifacts.map((artifact) => artifact.name);
    expect(names).toHaveLength(HANDLER_NAMES.length);

    const oslsDir = path.join(work, 'osls');
    const osls = await tt(['package', '--for', 'osls', '--out', oslsDir, '--region', 'eu-west-1', '--json']);
    expect(osls.code, osls.stderr).toBe(0);
    const oslsResult = JSON.parse(osls.stdout);
    expect(oslsResult.out).toMatchObject({
      file: path.join(oslsDir, 'serverless.yml'),
      functions: HANDLER_NAMES.length,
    });
    expect(oslsResult.commands[0].line).toBe(`cd ${oslsDir} && osls deploy --region eu-west-1`);
    // osls itself reads it: `osls print` validates the whole service against its schema.
    const oslsScript = await npmTool('osls');
    if (!oslsScript) throw new Error('osls is needed to check the generated service');
    const printed = await exec(process.execPath, [oslsScript, 'print', '--format', 'json'], {
      cwd: oslsDir,
      env: { ...env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', SLS_TELEMETRY_DISABLED: '1' },
    });
    expect(printed.code, printed.stdout + printed.stderr).toBe(0);
    const service = JSON.parse(printed.stdout) as {
      functions: Record<string, { package: { artifact: string } }>;
    };
    expect(Object.keys(service.functions)).toHaveLength(HANDLER_NAMES.length);
    for (const fn of Object.values(service.functions))
      expect(existsSync(path.join(oslsDir, fn.package.artifact)), fn.package.artifact).toBe(true);

    const samDir = path.join(work, 'sam');
    const sam = await tt(['package', '--for', 'sam', '--out', samDir, '--json']);
    expect(sam.code, sam.stderr).toBe(0);
    const template = await readFile(path.join(samDir, 'template.yaml'), 'utf8');
    for (const name of names) {
      expect(template).toContain(`Code: functions/${name}\n`);
      expect(existsSync(path.join(samDir, 'functions', name, 'index.mjs')), name).toBe(true);
    }
    expect(template).not.toContain('ArtifactBucket');
  });
});
