import { TaskTrackerError } from '@tasktracker/core';
import { deployStack, validateProject } from '@tasktracker/deploy';
import type { Command } from 'commander';
import { formatElapsed, renderChanges, renderEvent, renderSummary } from '../format/stack.ts';
import { ExitCode, withGlobals } from '../runtime/action.ts';
import { LOCALSTACK_LAMBDA_ENDPOINT, openAws } from '../runtime/aws.ts';
import { confirm } from '../runtime/confirm.ts';
import { openProject } from '../runtime/infrastructure.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { outputFor, settingsFor } from '../runtime/session.ts';
import { parseTarget } from '../runtime/target.ts';
import { runPackage } from './package.ts';

function collectParameter(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z0-9]+)=(.*)$/s.exec(value);
  if (!match) throw new TaskTrackerError('VALIDATION_ERROR', `--parameter takes Key=Value, not "${value}"`);
  return { ...previous, [match[1] as string]: match[2] as string };
}

interface DeployFlags {
  parameter?: Record<string, string>;
  force?: boolean;
  yes?: boolean;
  artifactBucket?: string;
  keep?: string;
}

export function registerDeployCommands(program: Command): void {
  program
    .command('package')
    .description(
      'bundle and zip every handler, resolve the template, write .tasktracker/build/<stage>/; print the commands that deploy it',
    )
    .option('--for <format>', `cloudformation (default), or the same stack for osls or sam`)
    .option('--out <dir>', 'where --for osls or sam writes (default: osls/ or sam/ in the build directory)')
    .option('--upload', 'put the zips in the artifact bucket where the template expects them, and stop')
    .option('--artifact-bucket <name>', 'the bucket --upload and the printed commands use')
    .action(withGlobals(runPackage));

  program
    .command('deploy')
    .description('package, upload and deploy the stack of a stage through a change set')
    .option(
      '--parameter <Key=Value>',
      'a template parameter (repeatable); others take the template default',
      collectParameter,
      {},
    )
    .option('--force', 'deploy even when nothing changed since the last deploy')
    .option('-y, --yes', 'do not ask (prod, or a table or bucket removed or replaced)')
    .option(
      '--artifact-bucket <name>',
      'bucket for zips and templates (default tasktracker-artifacts-<account>-<region>)',
    )
    .option('--keep <n>', 'artifact sets kept in the bucket', '5')
    .action(
      withGlobals(async (globals, flags: DeployFlags) => {
        const output = outputFor(globals);
        const aws = openAws(globals, 'deploy');
        const keep = Number(flags.keep);
        if (!Number.isInteger(keep) || keep < 1)
          throw new TaskTrackerError(
            'VALIDATION_ERROR',
            `--keep takes a whole number >= 1, not "${flags.keep}"`,
          );
        const parameters = { ...flags.parameter };
        if (aws.target.kind === 'localstack') parameters.ServiceEndpoint ??= LOCALSTACK_LAMBDA_ENDPOINT;
        const interrupt = interruptible();
        try {
          const outcome = await deployStack(aws.clients, {
            project: openProject(),
            stage: aws.stage,
            parameters,
            ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
            ...(flags.artifactBucket ? { artifactBucket: flags.artifactBucket } : {}),
            force: Boolean(flags.force),
            keepArtifacts: keep,
            signal: interrupt.signal,
            confirm: (question) => confirm(question, flags.yes),
            reporter: {
              step: (message) => output.note(message),
              changes: (changes) =>
                output.note(`change set (${changes.length} changes):\n${renderChanges(output, changes)}`),
              event: (event) => {
                output.endProgress();
                output.note(renderEvent(output, event));
              },
              progress: (done, total, elapsed) =>
                output.progress(`deploying ${formatElapsed(elapsed)}`, done, total > 0 ? total : undefined),
            },
          });
          output.endProgress();
          output.result({ ...outcome, apiCalls: aws.clients.calls.toJSON() }, () =>
            outcome.result === 'cancelled'
              ? 'cancelled: nothing was deployed'
              : [
                  outcome.result === 'no-changes'
                    ? `${outcome.stackName}: no changes`
                    : `${outcome.stackName}: deployed`,
                  ...(outcome.summary ? [renderSummary(outcome.summary)] : []),
                ].join('\n'),
          );
          return outcome.result === 'cancelled' ? new ExitCode(1) : undefined;
        } finally {
          output.endProgress();
          interrupt.dispose();
          aws.clients.destroy();
        }
      }),
    );

  program
    .command('validate')
    .description("check the template: our checks (tables, routes, IAM) and CloudFormation's ValidateTemplate")
    .option(
      '--artifact-bucket <name>',
      'where a template over 51,200 bytes is uploaded for CloudFormation to read',
    )
    .action(
      withGlobals(async (globals, flags: { artifactBucket?: string }) => {
        const output = outputFor(globals);
        const settings = settingsFor(globals);
        const isLocal = parseTarget(settings.target, settings.endpoint).kind === 'local';
        const aws = isLocal ? undefined : openAws(globals, 'validate');
        try {
          const report = await validateProject(
            openProject(),
            aws && {
              clients: aws.clients,
              ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
              ...(flags.artifactBucket ? { artifactBucket: flags.artifactBucket } : {}),
            },
          );
          const cfn = report.cloudformation;
          const failed = report.problems.length > 0 || (cfn.checked && cfn.error !== undefined);
          output.result({ ok: !failed, ...report }, () =>
            [
              ...report.problems.map(
                (problem) => `${output.paint('red', 'problem')} [${problem.check}] ${problem.message}`,
              ),
              report.problems.length === 0
                ? 'local checks: tables, routes and IAM agree with core and the handlers'
                : '',
              cfn.checked
                ? cfn.error
                  ? `${output.paint('red', 'CloudFormation')}: ${cfn.error}`
                  : `CloudFormation ValidateTemplate: valid (${cfn.parameters} parameters)`
                : `CloudFormation ValidateTemplate: skipped (${cfn.reason})`,
            ]
              .filter(Boolean)
              .join('\n'),
          );
          return failed ? new ExitCode(1) : undefined;
        } finally {
          aws?.clients.destroy();
        }
      }),
    );
}
