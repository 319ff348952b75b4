import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// The handler's own reading of an S3 event: what the e2e helper's records must survive.
import { decodeObjectKey, S3EventRecordSchema } from '../../../handlers/src/imports/event.ts';

/**
 * The pure parts of e2e.sh's import, export and tt-output helpers (localstack/lib). They run for real,
 * against ministack, in ministack.test.ts; these pin down what each engine may answer.
 */
const LIB = fileURLToPath(new URL('../../../../localstack/lib/', import.meta.url));

interface ImportsModule {
  s3EventRecord(record: { bucket: string; key: string; etag?: string; size?: number }): {
    s3: { object: { key: string; eTag?: string } };
  };
  deadLetterKeys(body: string): string[];
}
interface TtOutputModule {
  titled(tasks: { items?: { title: string }[] }, prefix: string): number;
  importLogs(
    lines: { message: string; fields?: Record<string, unknown> }[],
    objectKey: string,
  ): { done: number; failed: number; typed: boolean };
}
interface AwsModule {
  REQUIRED_SERVICES: string[];
  servicesNotReady(health: unknown): string[];
}
const imports: ImportsModule = await import(path.join(LIB, 'imports.mjs'));
const ttOutput: TtOutputModule = await import(path.join(LIB, 'tt-output.mjs'));
const aws: AwsModule = await import(path.join(LIB, 'aws.mjs'));

describe('localstack/lib/imports.mjs', () => {
  it('builds the record S3 sends: key URL-encoded with + for spaces, which the import handler decodes back', () => {
    const key = 'imports/u1/e2e 2026 (café).csv';
    const record = imports.s3EventRecord({ bucket: 'b', key, etag: 'abc', size: 3 });
    expect(record.s3.object.key).toBe('imports/u1/e2e+2026+(caf%C3%A9).csv');
    expect(S3EventRecordSchema.safeParse(record).success).toBe(true);
    expect(decodeObjectKey(record.s3.object.key)).toBe(key);
  });

  it('finds the object key in a dead letter as Lambda writes it (the event) and as ministack does (a destination record)', () => {
    const event = { Records: [imports.s3EventRecord({ bucket: 'b', key: 'imports/u1/lost file.csv' })] };
    expect(imports.deadLetterKeys(JSON.stringify(event))).toEqual(['imports/u1/lost file.csv']);
    const destination = { requestContext: { condition: 'RetriesExhausted' }, requestPayload: event };
    expect(imports.deadLetterKeys(JSON.stringify(destination))).toEqual(['imports/u1/lost file.csv']);
    expect(imports.deadLetterKeys('not json')).toEqual([]);
  });
});

describe('localstack/lib/aws.mjs wait-health', () => {
  it("takes ministack's name for CloudWatch in its health map (monitoring) for cloudwatch", () => {
    const services = Object.fromEntries(aws.REQUIRED_SERVICES.map((name) => [name, 'available']));
    const { cloudwatch: _, ...ministack } = services;
    expect(aws.servicesNotReady({ services: { ...ministack, monitoring: 'available' } })).toEqual([]);
    expect(aws.servicesNotReady({ services: ministack })).toEqual(['cloudwatch']);
  });
});

describe('localstack/lib/tt-output.mjs', () => {
  it('counts the tasks of tt tasks list --json by title', () => {
    const tasks = { items: [{ title: 'E2E import 01' }, { title: 'E2E import 02' }, { title: 'E2E task' }] };
    expect(ttOutput.titled(tasks, 'E2E import ')).toBe(2);
    expect(ttOutput.titled({}, 'E2E')).toBe(0);
  });

  it("reads one file's imports out of tt logs --json, and tells a minified error type from a named one", () => {
    const done = (objectKey: string) => ({ message: 'import record done', fields: { objectKey } });
    const failed = (err: Record<string, string>) => ({ message: 'import failed', fields: { err } });
    const lines = [done('imports/u/a.csv'), done('imports/u/a.csv'), done('imports/u/b.csv')];
    const named = failed({ type: 'NoSuchBucket', name: 'NoSuchBucket', message: 'gone' });
    expect(ttOutput.importLogs([...lines, named], 'imports/u/a.csv')).toEqual({
      done: 2,
      failed: 1,
      typed: true,
    });
    // What the bundles logged before the logger took the type from the name.
    const minified = failed({ type: 't', name: 'NoSuchBucket', message: 'gone' });
    expect(ttOutput.importLogs([named, minified], 'imports/u/a.csv').typed).toBe(false);
  });
});
