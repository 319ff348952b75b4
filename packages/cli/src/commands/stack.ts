import { destroyStack, stackInfo } from '@tasktracker/deploy';
import type { Command } from 'commander';
import { renderEvent, renderSummary } from '../format/stack.ts';
import { renderTable } from '../format/table.ts';
import { withGlobals } from '../runtime/action.ts';
import { openAws, STACK_FLAG, STACK_HELP } from '../runtime/aws.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { outputFor } from '../runtime/session.ts';

export function registerStackCommands(program: Command): void {
  program
    .command('info')
    .description("the stage's stack: status, outputs, functions, routes and tables")
    .option(STACK_FLAG, STACK_HELP)
    .action(
      withGlobals(async (globals, flags: { stack?: string }) => {
        const output = outputFor(globals);
        const aws = openAws(globals, 'info');
        try {
          const info = await stackInfo(aws.clients, aws.stage, flags.stack);
          output.result(info, () =>
            [
              renderSummary(info),
              `last update ${info.lastUpdated ?? '?'}`,
              '',
              renderTable(
                ['function', 'runtime', 'memory', 'timeout'],
                info.functionDetails.map((fn) => [
                  fn.name,
                  fn.runtime ?? '?',
                  fn.memoryMb ? `${fn.memoryMb} MB` : '?',
                  fn.timeoutS ? `${fn.timeoutS} s` : '?',
                ]),
              ),
              '',
              renderTable(
                ['route', 'api key', 'url'],
                info.routes.map((route) => [
                  `${route.method} ${route.path}`,
                  route.apiKey ? 'yes' : 'no',
                  route.url ?? '',
                ]),
              ),
              '',
              renderTable(
                ['table', 'name', 'items (approx.)', 'status'],
                info.tableItems.map((table) => [
                  table.key,
                  table.name,
                  String(table.items ?? '?'),
                  table.status ?? '?',
                ]),
              ),
            ].join('\n'),
          );
        } finally {
          aws.clients.destroy();
        }
      }),
    );

  program
    .command('destroy')
    .description("empty the stage's buckets and delete its stack (prod needs --yes)")
    .option('-y, --yes', 'required for prod')
    .option(STACK_FLAG, STACK_HELP)
    .option(
      '--artifact-bucket <name>',
      'the artifact bucket deploy used (default tasktracker-artifacts-<account>-<region>)',
    )
    .action(
      withGlobals(async (globals, flags: { yes?: boolean; artifactBucket?: string; stack?: string }) => {
        const output = outputFor(globals);
        const aws = openAws(globals, 'destroy');
        const interrupt = interruptible();
        try {
          const outcome = await destroyStack(aws.clients, {
            stage: aws.stage,
            ...(flags.stack ? { stackName: flags.stack } : {}),
            yes: Boolean(flags.yes),
            ...(flags.artifactBucket ? { artifactBucket: flags.artifactBucket } : {}),
            signal: interrupt.signal,
            onStep: (message) => output.note(message),
            onEvent: (event) => output.note(renderEvent(output, event)),
          });
          output.result(outcome, () =>
            outcome.result === 'absent'
              ? `${outcome.stackName}: no such stack, nothing to destroy`
              : `${outcome.stackName}: destroyed (${outcome.objectsDeleted} object versions deleted first)`,
          );
        } finally {
          interrupt.dispose();
          aws.clients.destroy();
        }
      }),
    );
}
