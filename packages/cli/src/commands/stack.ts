import { destroyStack, stackInfo } from '@tasktracker/deploy';
import { renderEvent, renderSummary } from '../format/stack.ts';
import { renderTable } from '../format/table.ts';
import { withGlobals } from '../runtime/action.ts';
import { openAws } from '../runtime/aws.ts';
import { interruptible } from '../runtime/interrupt.ts';
import { outputFor } from '../runtime/session.ts';

export const showStackInfo = withGlobals(async (globals, flags: { stack?: string; showApiKey?: boolean }) => {
  const output = outputFor(globals);
  const aws = openAws(globals, 'info');
  try {
    const info = await stackInfo(aws.clients, aws.stage, flags.stack, {
      showApiKey: flags.showApiKey === true,
    });
    output.result(info, () =>
      [
        renderSummary(info),
        ...(info.apiKey ? [`api key ${info.apiKey}`] : []),
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
});

export const destroyStage = withGlobals(
  async (globals, flags: { yes?: boolean; artifactBucket?: string; stack?: string }) => {
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
  },
);
