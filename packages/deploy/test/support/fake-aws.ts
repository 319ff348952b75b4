import { isTaskTrackerError } from '@tasktracker/core';
import { vi } from 'vitest';
import { AwsClients, type DeployOptions, findProject } from '../../src/index.ts';

type Answer = (input: Record<string, unknown>) => unknown;

/**
 * AwsClients whose calls are answered by the test, by operation name (`DescribeStackEvents`, ...):
 * for the shapes only real AWS produces (paged events, rollback states). A missing answer fails the
 * test, so every call the code makes is one the test expected.
 */
export function fakeAws(answers: Record<string, Answer>) {
  const clients = new AwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  for (const service of ['cloudformation', 's3', 'sts', 'dynamodb'] as const) {
    vi.spyOn(clients[service], 'send').mockImplementation((async (command: {
      constructor: { name: string };
      input: Record<string, unknown>;
    }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      calls.push({ operation, input: command.input });
      const answer = answers[operation];
      if (!answer) throw new Error(`unexpected call ${operation}`);
      const result = answer(command.input);
      if (result instanceof Error) throw result;
      return result;
    }) as never);
  }
  return { clients, calls };
}

/** An error shaped as the SDK throws it for a service error. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/** Deploy options for the flow tests: the real checkout, a fixed bucket, answers collected. */
export function options(overrides: Partial<DeployOptions> = {}) {
  const said: string[] = [];
  const asked: string[] = [];
  const opts: DeployOptions = {
    project: findProject(),
    stage: 'dev',
    artifactBucket: 'artifacts',
    pollMs: 1,
    confirm: async (question) => {
      asked.push(question);
      return false;
    },
    reporter: { step: (m) => said.push(m), changes: () => {}, event: () => {}, progress: () => {} },
    ...overrides,
  };
  return { opts, said, asked };
}

/** The TaskTrackerError a promise rejects with (anything else fails the test). */
export async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isTaskTrackerError(error)) throw new Error(`expected a TaskTrackerError, got ${String(error)}`);
  return error;
}
