import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DeleteChangeSetCommand, ExecuteChangeSetCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { TaskTrackerError } from '@tasktracker/core';
import { defaultArtifactBucket, ensureArtifactBucket } from './artifacts/bucket.ts';
import { lastDeployment, pruneArtifacts, recordDeployment, uploadMissing } from './artifacts/store.ts';
import type { AwsClients } from './aws/clients.ts';
import { describeAwsError, explainAwsError } from './aws/errors.ts';
import { templateUrl } from './aws/template-url.ts';
import { ARTIFACT_PREFIX, type PackageResult, packageStack } from './package/package.ts';
import type { Project } from './project.ts';
import {
  createChangeSet,
  destructiveChanges,
  destructiveReason,
  type StackChange,
} from './stack/change-set.ts';
import { deleteStack } from './stack/delete.ts';
import { eventCursor, firstFailure, type StackEventLine, watchStackOperation } from './stack/events.ts';
import { assertNamesFree } from './stack/ownership.ts';
import { listStackResources, type StackSummary, summarizeStack } from './stack/resources.ts';
import {
  assertDeployable,
  describeStack,
  isDeadOnArrival,
  isUpdatable,
  stackNameOf,
} from './stack/status.ts';
import { checkParameters, checkStage } from './template/parameters.ts';
import { type CfnTemplate, parseTemplate } from './template/parse.ts';

/** How the deployer speaks while it works; the CLI prints, tests collect. */
export interface DeployReporter {
  step(message: string): void;
  changes(changes: readonly StackChange[]): void;
  event(event: StackEventLine): void;
  progress(done: number, total: number, elapsedMs: number): void;
}

export interface DeployOptions {
  project: Project;
  stage: string;
  /** --parameter Key=Value: template parameters; the rest take the template's defaults. */
  parameters?: Record<string, string>;
  /** The AWS-compatible endpoint the clients use, if not AWS: template URLs point there. */
  endpoint?: string;
  artifactBucket?: string;
  force?: boolean;
  /** Asked before a prod deploy or a change that removes or replaces a table or bucket. */
  confirm(question: string): Promise<boolean>;
  reporter: DeployReporter;
  /** Artifact sets kept in the bucket (the newest deploys of this stack). */
  keepArtifacts?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface DeployOutcome {
  result: 'deployed' | 'no-changes' | 'cancelled';
  stackName: string;
  changes: StackChange[];
  package: { reused: boolean; ms: number };
  uploaded: number;
  summary?: StackSummary;
}

function fingerprintOf(pkg: PackageResult, parameters: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b)));
  const artifacts = pkg.manifest.artifacts.map((artifact) => [artifact.name, artifact.sha256]);
  return createHash('sha256')
    .update(JSON.stringify({ template: pkg.manifest.template.sha256, artifacts, parameters: sorted }))
    .digest('hex');
}

async function summaryOf(clients: AwsClients, stackName: string): Promise<StackSummary | undefined> {
  const stack = await describeStack(clients, stackName);
  return stack
    ? summarizeStack(stack, await listStackResources(clients, stack.StackId ?? stackName))
    : undefined;
}

/**
 * The stack a deploy starts from: refused when busy or stuck, deleted first when a failed first create
 * left it ROLLBACK_COMPLETE; a create is refused when another stack holds the names it would claim.
 */
async function stackToDeploy(
  clients: AwsClients,
  template: CfnTemplate,
  options: DeployOptions,
): Promise<{ stack: Stack | undefined; isNew: boolean }> {
  const stackName = stackNameOf(options.stage);
  let stack = await describeStack(clients, stackName);
  if (stack) assertDeployable(stack);
  if (stack && isDeadOnArrival(stack.StackStatus)) {
    options.reporter.step(
      `${stackName} is ROLLBACK_COMPLETE (its first create failed): deleting it so it can be created again`,
    );
    await deleteStack(clients, stack.StackId ?? stackName, options);
    stack = undefined;
  }
  const isNew = !stack || stack.StackStatus === 'REVIEW_IN_PROGRESS';
  if (isNew) await assertNamesFree(clients, template, options.stage, stackName);
  return { stack, isNew };
}

/**
 * Some endpoints (moto) apply a change set inside ExecuteChangeSet and fail that call with the reason.
 * A create that failed so, still REVIEW_IN_PROGRESS, is deleted (with what it made) so that the next
 * deploy creates it afresh; nothing on AWS runs for a stack in that state.
 */
async function executionFailed(
  clients: AwsClients,
  failed: { stackName: string; stackRef: string; isNew: boolean; error: unknown; options: DeployOptions },
): Promise<TaskTrackerError> {
  const { stackName, stackRef, error, options } = failed;
  const reason = describeAwsError(error);
  const after = await describeStack(clients, stackRef);
  let next = 'fix the cause and run tt deploy again';
  if (failed.isNew && after?.StackStatus === 'REVIEW_IN_PROGRESS') {
    options.reporter.step(`${stackName} was never created: deleting what its change set made`);
    await deleteStack(clients, after.StackId ?? stackRef, options);
    next = `${stackName} was deleted; fix the cause and run tt deploy again`;
  }
  return new TaskTrackerError(
    'DEPLOY_FAILED',
    `executing the change set of ${stackName} failed: ${reason}. ${next}`,
    { status: after?.StackStatus, reason, next },
    { cause: error },
  );
}

/**
 * `tt deploy`: package, make sure the artifact bucket exists, stop early when nothing changed since the
 * last successful deploy, upload what is new, preview the change set, ask when data is at stake,
 * execute while streaming events, and report the outputs. See packages/deploy/README.md.
 */
export async function deployStack(clients: AwsClients, options: DeployOptions): Promise<DeployOutcome> {
  const { reporter, stage } = options;
  const stackName = stackNameOf(stage);
  const given = options.parameters ?? {};
  const template = parseTemplate(readFileSync(options.project.template, 'utf8'));
  checkStage(template, stage);
  checkParameters(template, given);

  // The stack's state and the names a create would claim are checked before anything is built.
  const { stack, isNew } = await stackToDeploy(clients, template, options).catch((error: unknown) => {
    throw explainAwsError(error, `deploying ${stackName}`);
  });

  const pkg = await packageStack(options.project, stage);
  reporter.step(
    pkg.reused
      ? `package: sources unchanged, reusing ${pkg.manifest.artifacts.length} bundles (${Math.round(pkg.ms)} ms)`
      : `package: built ${pkg.manifest.artifacts.length} bundles in ${(pkg.ms / 1000).toFixed(1)} s`,
  );
  const outcome = (result: DeployOutcome['result'], rest: Partial<DeployOutcome> = {}): DeployOutcome => ({
    result,
    stackName,
    changes: [],
    package: { reused: pkg.reused, ms: pkg.ms },
    uploaded: 0,
    ...rest,
  });

  try {
    const bucket = options.artifactBucket ?? (await defaultArtifactBucket(clients));
    if (await ensureArtifactBucket(clients, bucket)) reporter.step(`artifact bucket ${bucket} created`);
    const parameters = { ...given, Stage: stage, ArtifactBucket: bucket, ArtifactPrefix: ARTIFACT_PREFIX };
    const fingerprint = fingerprintOf(pkg, parameters);

    if (stack && !isNew && !options.force) {
      const last = await lastDeployment(clients, bucket, stackName);
      if (last?.fingerprint === fingerprint && last.stackId === stack.StackId) {
        reporter.step('no changes: the template, every bundle and the parameters equal the last deploy');
        return outcome('no-changes', { summary: summarizeStack(stack, []) });
      }
    }

    const files = [...pkg.manifest.artifacts, pkg.manifest.template];
    const { uploaded } = await uploadMissing(clients, bucket, files);
    reporter.step(`upload: ${uploaded} new, ${files.length - uploaded} already in s3://${bucket}`);

    const changeSet = await createChangeSet(clients, {
      stackName,
      type: isNew ? 'CREATE' : 'UPDATE',
      templateUrl: await templateUrl(clients, bucket, pkg.manifest.template.key, options.endpoint),
      parameters,
      tags: { 'tasktracker:stage': stage },
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const record = async (stackId: string) => {
      await recordDeployment(clients, bucket, {
        stackName,
        stackId,
        stage,
        fingerprint,
        deployedAt: new Date().toISOString(),
        parameters,
        keys: files.map((file) => file.key),
      });
      const { deletedKeys } = await pruneArtifacts(clients, bucket, {
        stackName,
        keep: options.keepArtifacts ?? 5,
      });
      if (deletedKeys > 0) reporter.step(`pruned ${deletedKeys} artifacts no kept deploy uses`);
    };
    if (changeSet.kind === 'no-changes') {
      reporter.step('no changes: CloudFormation found nothing to update');
      // Recorded only for a stack at rest in a complete state whose resources can be read: anything
      // else (moto calls a stack whose create failed half-way CREATE_COMPLETE) is looked at again.
      if (!stack?.StackId || !isUpdatable(stack.StackStatus)) return outcome('no-changes', { uploaded });
      const summary = await summaryOf(clients, stack.StackId);
      await record(stack.StackId);
      return outcome('no-changes', { uploaded, ...(summary ? { summary } : {}) });
    }
    reporter.changes(changeSet.changes);

    const destructive = destructiveChanges(changeSet.changes);
    const reasons = [...(stage === 'prod' ? ['this is prod'] : []), ...destructive.map(destructiveReason)];
    if (reasons.length > 0) {
      const discard = () =>
        clients.cloudformation.send(
          new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSet.id }),
        );
      // A refusal to ask (no terminal, no --yes) must not leave the change set behind either.
      const approved = await options
        .confirm(`Deploy ${stackName}? ${reasons.join('; ')}.`)
        .catch(async (error: unknown) => {
          await discard();
          throw error;
        });
      if (!approved) {
        await discard();
        reporter.step('cancelled: the change set was deleted, nothing changed');
        return outcome('cancelled', { changes: changeSet.changes, uploaded });
      }
    }

    // Followed by id: moto makes a second stack of the same name for a create over a REVIEW_IN_PROGRESS
    // one and keeps answering the first by name, which would be watched forever.
    const stackRef = changeSet.stackId ?? stackName;
    const cursor = await eventCursor(clients, stackRef);
    reporter.step(`executing ${changeSet.name}: ${changeSet.changes.length} changes`);
    try {
      await clients.cloudformation.send(
        new ExecuteChangeSetCommand({ StackName: stackRef, ChangeSetName: changeSet.id }),
      );
    } catch (error) {
      throw await executionFailed(clients, { stackName, stackRef, isNew, error, options });
    }
    const watched = await watchStackOperation(clients, {
      stack: stackRef,
      ...cursor,
      total: changeSet.changes.length,
      onEvent: (event) => reporter.event(event),
      onProgress: (done, total, elapsed) => reporter.progress(done, total, elapsed),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (watched.status !== 'CREATE_COMPLETE' && watched.status !== 'UPDATE_COMPLETE') {
      const failure = firstFailure(watched.events);
      let next = 'fix the cause and run tt deploy again';
      if (isDeadOnArrival(watched.status)) {
        reporter.step(
          `${stackName} is ROLLBACK_COMPLETE after its first create: deleting it so the next deploy can create it`,
        );
        await deleteStack(clients, watched.stack?.StackId ?? stackName, options);
        next = 'the failed stack was deleted; fix the cause and run tt deploy again';
      }
      const cause = failure
        ? `${failure.logicalId} (${failure.resourceType}) ${failure.status}: ${failure.reason ?? 'no reason given'}`
        : 'no resource reported a failure';
      throw new TaskTrackerError(
        'DEPLOY_FAILED',
        `deploy of ${stackName} failed: ${cause}. The stack is ${watched.status}; ${next}`,
        { status: watched.status, failedResource: failure?.logicalId, reason: failure?.reason, next },
      );
    }
    // The record comes last: a deploy that fails at any step before it is never taken for a no-op.
    const summary = await summaryOf(clients, stackRef);
    await record(watched.stack?.StackId ?? stackRef);
    return outcome('deployed', { changes: changeSet.changes, uploaded, summary });
  } catch (error) {
    if (error instanceof TaskTrackerError && error.code === 'INTERRUPTED')
      throw new TaskTrackerError(
        'INTERRUPTED',
        `stopped waiting; anything already started goes on in CloudFormation. Follow it with: tt info --stage ${stage}. When it has finished, run tt deploy --stage ${stage} again (it says "no changes" if the stack is already up to date)`,
      );
    throw explainAwsError(error, `deploying ${stackName}`);
  }
}
