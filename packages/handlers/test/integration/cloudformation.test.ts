import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { pythonTool } from '@tasktracker/local/testing';
import { describe, expect, it } from 'vitest';
// The template checks live in the deployer (which depends on this package): imported by path, test-only.
import {
  checkTemplate,
  handlerOfFunction,
  resourcesOfType,
  type TemplateResource,
} from '../../../deploy/src/index.ts';
import { EXPORT_INLINE_LIMIT_BYTES, HANDLER_NAMES, handlerEntry } from '../../src/index.ts';
import { loadTemplate, TEMPLATE_PATH } from '../support/template.ts';

const run = promisify(execFile);
const template = loadTemplate();
const cfnLint = await pythonTool('cfn-lint');

const props = (resource: TemplateResource | undefined) =>
  (resource?.Properties ?? {}) as Record<string, unknown>;
const handlerOf = (functionId: string) => handlerOfFunction(template, functionId) ?? '?';

describe('cloudformation/tasktracker.yaml', () => {
  it.skipIf(!cfnLint)(
    'passes cfn-lint with no errors, no warnings and no informational findings (I3011 and the rest)',
    async () => {
      // The template first: --include-checks takes every word after it as a check.
      const args = [TEMPLATE_PATH, '--format', 'parseable', '--include-checks', 'I'];
      const result = await run(cfnLint!, args).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result).toBe('');
    },
    120_000,
  );

  it('declares core’s tables, routes to every handler, and IAM without wildcards (tt validate’s checks)', () => {
    // The checks live in the deployer; packages/deploy/test/unit/template.test.ts shows they catch drift.
    expect(checkTemplate(template)).toEqual([]);
  });

  it('declares the invocation log table as the import handler writes it, with PITR always on', () => {
    expect(props(template.Resources.InvocationLogTable).PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
      expect(props(table).SSESpecification).toEqual({ SSEEnabled: true });
      // In prod a stack delete must not take the data with it.
      expect(props(table).DeletionProtectionEnabled).toEqual({ 'Fn::If': ['IsProd', true, false] });
    }
  });

  it('has one function per handler, each built from an existing entry module', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    const handlers = functions.map(([id]) => handlerOf(id)).sort();
    expect(handlers).toEqual([...HANDLER_NAMES].sort());
    for (const name of handlers) {
      expect(
        existsSync(
          new URL(`../../src/${handlerEntry(name as (typeof HANDLER_NAMES)[number])}`, import.meta.url),
        ),
      ).toBe(true);
    }
    for (const [, fn] of functions) {
      expect(props(fn)).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('keeps the bucket private, TLS-only, encrypted, and wired to the import function', () => {
    const bucket = props(template.Resources.DataBucket);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
    const notification = JSON.stringify(bucket.NotificationConfiguration);
    expect(notification).toContain('ImportsProcessFunction');
    expect(notification).toContain('imports/');
    const policy = JSON.stringify(props(template.Resources.DataBucketPolicy).PolicyDocument);
    expect(policy).toContain('"aws:SecureTransport":false');
    expect(template.Resources.DataBucket?.DependsOn).toBe('ImportsBucketPermission');
    expect(JSON.stringify(props(template.Resources.ImportsProcessFunction).DeadLetterConfig)).toContain(
      'ImportsDeadLetterQueue',
    );
  });

  it('throttles the stage and the usage plan per stage (dev 50 / 100, prod 1000 / 2000), or at the parameters', () => {
    // Seed 003: dev lower than prod; 0 (the default) takes the stage's value from StageConfig.
    expect(template.Parameters?.ThrottleRateLimit?.Default).toBe(0);
    expect(template.Parameters?.ThrottleBurstLimit?.Default).toBe(0);
    const mapping = (template as { Mappings?: Record<string, Record<string, Record<string, unknown>>> })
      .Mappings?.StageConfig;
    expect([mapping?.dev?.ThrottleRateLimit, mapping?.dev?.ThrottleBurstLimit]).toEqual([50, 100]);
    expect([mapping?.prod?.ThrottleRateLimit, mapping?.prod?.ThrottleBurstLimit]).toEqual([1000, 2000]);
    const rate = {
      'Fn::If': [
        'HasThrottleRateLimit',
        { Ref: 'ThrottleRateLimit' },
        { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'ThrottleRateLimit'] },
      ],
    };
    const burst = {
      'Fn::If': [
        'HasThrottleBurstLimit',
        { Ref: 'ThrottleBurstLimit' },
        { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'ThrottleBurstLimit'] },
      ],
    };
    expect(props(template.Resources.UsagePlan).Throttle).toEqual({ RateLimit: rate, BurstLimit: burst });
    expect(props(template.Resources.ApiStage).MethodSettings).toMatchObject([
      { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst },
    ]);
  });

  it('gives the export function its inline limit from a parameter with the bounds the handler accepts', () => {
    expect(template.Parameters?.ExportInlineLimitBytes).toMatchObject({
      Type: 'Number',
      Default: EXPORT_INLINE_LIMIT_BYTES.default,
      MinValue: EXPORT_INLINE_LIMIT_BYTES.min,
      MaxValue: EXPORT_INLINE_LIMIT_BYTES.max,
    });
    const environment = props(template.Resources.TasksExportFunction).Environment as {
      Variables: Record<string, unknown>;
    };
    expect(environment.Variables.EXPORT_INLINE_LIMIT_BYTES).toEqual({ Ref: 'ExportInlineLimitBytes' });
  });

  it('creates the metric-math table throttle alarms unless TableThrottleAlarms is false, and only those', () => {
    // An emulator without metric math (ministack) deploys the stack with them left out.
    expect(template.Parameters?.TableThrottleAlarms).toMatchObject({
      Default: 'true',
      AllowedValues: ['true', 'false'],
    });
    const { Conditions } = template as { Conditions?: Record<string, unknown> };
    expect(Conditions?.HasTableThrottleAlarms).toEqual({
      'Fn::Equals': [{ Ref: 'TableThrottleAlarms' }, 'true'],
    });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    const metricMath = alarms.filter(([, alarm]) => props(alarm).Metrics !== undefined).map(([id]) => id);
    const conditional = alarms
      .filter(([, alarm]) => alarm.Condition === 'HasTableThrottleAlarms')
      .map(([id]) => id);
    expect(metricMath.sort()).toEqual(
      ['CategoriesTable', 'IdempotencyTable', 'InvocationLogTable', 'TasksTable'].map(
        (t) => `${t}ThrottleAlarm`,
      ),
    );
    expect(conditional.sort()).toEqual(metricMath.sort());
  });
});
