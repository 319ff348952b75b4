import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { TaskTrackerError } from '@tasktracker/core';
import type { AwsClients } from '../aws/clients.ts';
import { eventCursor, firstFailure, type StackEventLine, watchStackOperation } from './events.ts';

/** Deletes a stack and waits until it is gone; a DELETE_FAILED says which resource held on. */
export async function deleteStack(
  clients: AwsClients,
  stack: string,
  options: { pollMs?: number; signal?: AbortSignal; onEvent?: (event: StackEventLine) => void } = {},
): Promise<void> {
  const cursor = await eventCursor(clients, stack);
  await clients.cloudformation.send(new DeleteStackCommand({ StackName: stack }));
  const watched = await watchStackOperation(clients, { stack, ...cursor, total: 0, ...options });
  if (watched.status !== 'DELETE_COMPLETE') {
    const failure = firstFailure(watched.events);
    throw new TaskTrackerError(
      'DEPLOY_FAILED',
      `deleting ${stack} ended ${watched.status}${failure ? `: ${failure.logicalId} ${failure.reason ?? ''}` : ''}`,
      { status: watched.status, failedResource: failure?.logicalId },
    );
  }
}
