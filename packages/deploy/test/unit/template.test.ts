import { readFileSync } from 'node:fs';
import { isTaskTrackerError } from '@tasktracker/core';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  findProject,
  parseTemplate,
  resolveTemplate,
  withCurrentModels,
} from '../../src/index.ts';
import { checkParameters } from '../../src/template/parameters.ts';

const source = readFileSync(findProject().template, 'utf8');
const messages = (text: string) =>
  checkTemplate(parseTemplate(text)).map((problem) => `[${problem.check}] ${problem.message}`);

describe('the template checks tt validate runs', () => {
  it('find nothing wrong with cloudformation/tasktracker.yaml', () => {
    expect(messages(source)).toEqual([]);
  });

  it('catch an index that drifted from core, a route without its API key, and a wildcard action', () => {
    const broken = source
      .replace('IndexName: byPriority', 'IndexName: byPriorityOld')
      .replace('ApiKeyRequired: !If [UseApiKeys, true, false]', 'ApiKeyRequired: false')
      .replace('Action: [dynamodb:PutItem]', 'Action: [dynamodb:*]');
    expect(messages(broken)).toEqual([
      '[tables] TasksTable: GlobalSecondaryIndexes differ from core',
      '[routes] POST /tasks: must require an API key',
      expect.stringMatching(/^\[iam\] \w+Role: wildcard action dynamodb:\*$/),
    ]);
  });
});

describe('the API Gateway models, generated from the request schemas', () => {
  it('are in the template as pnpm run contract writes them', () => {
    expect(withCurrentModels(source)).toBe(source);
  });

  it('are checked: a model edited by hand, a method without its model or a required path id', () => {
    const broken = source
      .replace('maxLength: 2000', 'maxLength: 3000')
      .replace(
        /(TasksBulkMethod:[\s\S]*?) {6}RequestModels:\n {8}application\/json: !Ref BulkTasksRequestModel\n/,
        '$1',
      )
      .replace(/(CategoriesGetMethod:[\s\S]*?method\.request\.path\.id: )true/, '$1false');
    expect(messages(broken)).toEqual([
      '[models] CreateTaskInputModel: differs from what the CreateTaskInput schema generates (run pnpm run contract)',
      '[models] POST /tasks/bulk: RequestModels must be {"application/json":{"Ref":"BulkTasksRequestModel"}}',
      '[models] GET /categories/{id}: RequestParameters must require method.request.path.id',
    ]);
  });
});

describe('template parameters given to tt deploy', () => {
  const template = parseTemplate(source);
  const problem = (given: Record<string, string>) => {
    try {
      checkParameters(template, given);
      return undefined;
    } catch (error) {
      return isTaskTrackerError(error, 'VALIDATION_ERROR') ? error.message : String(error);
    }
  };

  it('accept declared values and refuse the rest before any AWS call', () => {
    expect(
      problem({ LogLevel: 'debug', ThrottleRateLimit: '50', BillingMode: 'PROVISIONED' }),
    ).toBeUndefined();
    expect(problem({ LogLevel: 'loud' })).toBe(
      '--parameter LogLevel must be one of fatal, error, warn, info, debug, trace, silent, not "loud"',
    );
    expect(problem({ ReadCapacityUnits: '0' })).toBe(
      '--parameter ReadCapacityUnits must be at least 1, not "0"',
    );
    expect(problem({ Stage: 'prod' })).toBe('--parameter Stage is set by tt deploy (use --stage)');
    expect(problem({ Colour: 'blue' })).toMatch(
      /^--parameter Colour is no parameter of the template \(it has LogLevel, /,
    );
  });
});

describe('the resolved template', () => {
  const hashes = new Map(HANDLER_NAMES.map((name, index) => [name, index.toString(16).padStart(64, '0')]));

  it('points every function at its content-addressed zip and names the API deployment after the template', () => {
    const resolved = resolveTemplate(source, hashes);
    for (const [name, hash] of hashes) expect(resolved).toContain(`\${ArtifactPrefix}${name}/${hash}.zip`);
    const deployment = /\b(ApiDeployment[0-9a-f]{12}):/.exec(resolved)?.[1];
    expect(resolved).toContain(`DeploymentId: !Ref ${deployment}`);
    expect(messages(resolved)).toEqual([]);
    // Same input, same output; a template edit gives a new API deployment.
    expect(resolveTemplate(source, hashes)).toBe(resolved);
    const edited = resolveTemplate(source.replace('MemorySize: 512', 'MemorySize: 1024'), hashes);
    expect(/\b(ApiDeployment[0-9a-f]{12}):/.exec(edited)?.[1]).not.toBe(deployment);
  });

  it('refuses a template that does not name a handler’s zip exactly once', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not JavaScript
    const healthZip = '${ArtifactPrefix}health.zip';
    expect(() => resolveTemplate(source.replace(healthZip, 'health.zip'), hashes)).toThrow(
      /must name \$\{ArtifactPrefix\}health.zip exactly once \(found 0\)/,
    );
  });
});
