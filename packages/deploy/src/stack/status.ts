import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { TaskTrackerError } from '@tasktracker/core';
import type { AwsClients } from '../aws/clients.ts';
import { isMissingStack } from '../aws/errors.ts';

/** The stack of a stage: one per stage per account and region (its table names say so too). */
export const stackNameOf = (stage: string) => `tasktracker-${stage}`;

export async function describeStack(clients: AwsClients, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

export const isInProgress = (status: string | undefined) => Boolean(status?.endsWith('_IN_PROGRESS'));

/** A first create that failed and rolled back: the stack holds nothing and can only be deleted. */
export const isDeadOnArrival = (status: string | undefined) => status === 'ROLLBACK_COMPLETE';

/** Stable states a change set can start from. */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);
export const isUpdatable = (status: string | undefined) => UPDATABLE.has(status ?? '');

/** A final state that means the last operation did not do what was asked. */
export const isFailure = (status: string | undefined) =>
  Boolean(status && (status.includes('ROLLBACK') || status.endsWith('_FAILED')));

/**
 * Says why a stack cannot take a deploy now, and what to do about it. A stack that is being changed
 * (by another deploy, or a rollback) is not touched: two operations on one stack would fail each other.
 */
export function assertDeployable(stack: Stack): void {
  const status = stack.StackStatus ?? '';
  if (isInProgress(status) && status !== 'REVIEW_IN_PROGRESS')
    throw new TaskTrackerError(
      'STACK_BUSY',
      `${stack.StackName} is ${status} (since ${stack.LastUpdatedTime?.toISOString() ?? stack.CreationTime?.toISOString()}): another deploy or a rollback is running. Wait for it to finish (tt info shows the status), then deploy again`,
      { status },
    );
  if (status === 'UPDATE_ROLLBACK_FAILED')
    throw new TaskTrackerError(
      'DEPLOY_FAILED',
      `${stack.StackName} is UPDATE_ROLLBACK_FAILED: a rollback could not restore some resource. Fix the cause shown by its events, then run: aws cloudformation continue-update-rollback --stack-name ${stack.StackName} (add --resources-to-skip for resources that cannot be restored), and deploy again`,
      { status },
    );
  if (status === 'DELETE_FAILED')
    throw new TaskTrackerError(
      'DEPLOY_FAILED',
      `${stack.StackName} is DELETE_FAILED: run tt destroy again (it empties the buckets first), then deploy`,
      { status },
    );
}
