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

/** The stage a stack was deployed for: its Stage parameter (any stack name, e.g. aws cloudformation deploy's). */
export const stageOfStack = (stack: Stack): string | undefined =>
  stack.Parameters?.find((parameter) => parameter.ParameterKey === 'Stage')?.ParameterValue;

/**
 * The stack `tt info`, `tt logs` and `tt destroy` work on: `tasktracker-<stage>`, or `stackName` when
 * given (--stack); STACK_NOT_FOUND when there is none. Its stage comes from its Stage parameter.
 */
export async function requireStack(
  clients: AwsClients,
  target: { stage: string; stackName?: string | undefined },
): Promise<{ stack: Stack; stackName: string; stage: string }> {
  const stackName = target.stackName ?? stackNameOf(target.stage);
  const stack = await describeStack(clients, stackName);
  if (!stack)
    throw new TaskTrackerError(
      'STACK_NOT_FOUND',
      target.stackName
        ? `no stack ${stackName} in this account and region (--stack takes a CloudFormation stack name)`
        : `no stack ${stackName}: deploy it with tt deploy --stage ${target.stage}, or name a stack deployed under another name with --stack`,
      { stackName },
    );
  return { stack, stackName, stage: stageOfStack(stack) ?? target.stage };
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
