import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { TaskTrackerError } from '@tasktracker/core';
import { defaultArtifactBucket } from './artifacts/bucket.ts';
import { deleteAllVersions } from './artifacts/store.ts';
import type { AwsClients } from './aws/clients.ts';
import { explainAwsError } from './aws/errors.ts';
import { deleteStack } from './stack/delete.ts';
import type { StackEventLine } from './stack/events.ts';
import { listStackResources } from './stack/resources.ts';
import { assertDeployable, describeStack, stackNameOf, stageOfStack } from './stack/status.ts';

export interface DestroyOptions {
  stage: string;
  /** A stack deployed under another name (--stack); its Stage parameter says whether it is prod. */
  stackName?: string;
  /** prod is destroyed only when this is true (--yes); nothing asks. */
  yes?: boolean;
  artifactBucket?: string;
  onStep?: (message: string) => void;
  onEvent?: (event: StackEventLine) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface DestroyOutcome {
  result: 'destroyed' | 'absent';
  stackName: string;
  /** Object versions deleted from the stack's buckets before the stack. */
  objectsDeleted: number;
}

/**
 * `tt destroy`: empties the stack's buckets (every object version: CloudFormation cannot delete a
 * bucket that holds anything), deletes the stack and waits until it is gone.
 */
export async function destroyStack(clients: AwsClients, options: DestroyOptions): Promise<DestroyOutcome> {
  const stackName = options.stackName ?? stackNameOf(options.stage);
  const refuseProd = () => {
    if (!options.yes)
      throw new TaskTrackerError(
        'VALIDATION_ERROR',
        `refusing to destroy ${stackName} without --yes: it is prod`,
      );
  };
  if (!options.stackName && options.stage === 'prod') refuseProd();
  try {
    const stack = await describeStack(clients, stackName);
    if (!stack) return { result: 'absent', stackName, objectsDeleted: 0 };
    if (stageOfStack(stack) === 'prod') refuseProd();
    assertDeployable(stack);
    const stackId = stack.StackId ?? stackName;
    let objectsDeleted = 0;
    for (const bucket of (await listStackResources(clients, stackId)).filter(
      (r) => r.type === 'AWS::S3::Bucket',
    )) {
      if (!bucket.physicalId) continue;
      const deleted = await deleteAllVersions(clients, bucket.physicalId, '').catch((error: unknown) => {
        if ((error as { name?: string }).name === 'NoSuchBucket') return 0;
        throw error;
      });
      options.onStep?.(`emptied s3://${bucket.physicalId} (${deleted} object versions)`);
      objectsDeleted += deleted;
    }
    options.onStep?.(`deleting ${stackName}`);
    await deleteStack(clients, stackId, options);
    // The stack is gone: its record must not make a later deploy believe nothing changed (the stack id
    // in the record guards that too; this keeps the bucket honest).
    const artifactBucket = options.artifactBucket ?? (await defaultArtifactBucket(clients));
    await clients.s3
      .send(new DeleteObjectCommand({ Bucket: artifactBucket, Key: `deployments/${stackName}/current.json` }))
      .catch(() => undefined);
    return { result: 'destroyed', stackName, objectsDeleted };
  } catch (error) {
    throw explainAwsError(error, `destroying ${stackName}`);
  }
}
