import { ERROR_CODES, TaskTrackerError } from '@tasktracker/core';
import { deployStack, validateProject } from '@tasktracker/deploy';
import { formatElapsed, renderChanges, renderEvent, renderSummary } from '../format/stack.ts';
import { ExitCode, withGlobals } from '../runtime/action.ts';
import { openAws } from '../runtime/aws.ts';
import { confirm } from '../runtime/confirm.ts';
import { detectEmulator, emulatorDefaults } from '../runtime/emulator.ts';
import { openProject } from '../runtime/infrastructure.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { outputFor, settingsFor } from '../runtime/session.ts';
import { parseTarget } from '../runtime/target.ts';

interface DeployFlags {
  parameter?: Record<string, string>;
  force?: boolean;
  yes?: boolean;
  artifactBucket?: string;
  keep?: string;
}

export const deployStage = withGlobals(async (globals, flags: DeployFlags) => {
  const output = outputFor(globals);
  const aws = openAws(globals, 'deploy');
  const keep = Number(flags.keep);
  if (!Number.isInteger(keep) || keep < 1)
    throw new TaskTrackerError('VALIDATION_ERROR', `--keep takes a whole number >= 1, not "${flags.keep}"`);
  const defaults =
    aws.target.kind === 'localstack'
      ? emulatorDefaults(await detectEmulator(aws.target.endpoint))
      : { parameters: {} };
  if (defaults.note) output.note(defaults.note);
  const parameters = { ...defaults.parameters, ...flags.parameter };
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
});

export const validateTemplate = withGlobals(async (globals, flags: { artifactBucket?: string }) => {
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
    output.result({ ok: !failed, ...(failed ? { code: 'TEMPLATE_INVALID' } : {}), ...report }, () =>
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
    return failed ? new ExitCode(ERROR_CODES.TEMPLATE_INVALID.exitCode) : undefined;
  } finally {
    aws?.clients.destroy();
  }
});
