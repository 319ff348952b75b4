/**
 * The smallest serverless project that serves our createTask handler with osls + serverless-offline:
 * one function, the bundle `tt package` builds, POST /tasks behind an API key, the handler's environment.
 */
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_REGION } from '@tasktracker/local';
import { PEERS_DIR } from './peers.ts';

export interface OslsServiceOptions {
  /** The handler bundle (an ESM index.mjs exporting `handler`). */
  bundle: string;
  apiKey: string;
  env: Record<string, string>;
}

/** Writes the project into `dir` and returns it, to run `osls offline` in. */
export function writeOslsService(dir: string, options: OslsServiceOptions): string {
  mkdirSync(join(dir, 'tasks-create'), { recursive: true });
  copyFileSync(options.bundle, join(dir, 'tasks-create', 'index.mjs'));
  // The plugin resolves from the project's node_modules, as in a real project.
  symlinkSync(join(PEERS_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'serverless.yml'),
    [
      'service: tasktracker-bench',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      `  region: ${LOCAL_REGION}`,
      '  stage: dev',
      '  apiGateway:',
      '    apiKeys:',
      '      - name: bench',
      `        value: ${options.apiKey}`,
      '  environment:',
      ...Object.entries(options.env).map(([name, value]) => `    ${name}: '${value}'`),
      'functions:',
      '  tasksCreate:',
      '    handler: tasks-create/index.handler',
      '    events:',
      '      - http:',
      '          path: tasks',
      '          method: post',
      '          private: true',
      'plugins:',
      '  - serverless-offline',
      '',
    ].join('\n'),
  );
  return dir;
}
