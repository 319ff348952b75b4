import type { StackChange, StackEventLine, StackSummary } from '@tasktracker/deploy';
import type { Color, Output } from '../runtime/output.ts';
import { renderTable } from './table.ts';

const ACTION_MARKS: Record<string, [string, Color]> = {
  Add: ['+', 'green'],
  Modify: ['~', 'yellow'],
  Remove: ['-', 'red'],
};

/** The change set as people read it: one line per resource, replacements called out. */
export function renderChanges(output: Output, changes: readonly StackChange[]): string {
  const rows = changes.map((change) => {
    const [mark, color] = ACTION_MARKS[change.action] ?? ['?', 'gray'];
    const replacement =
      change.replacement === 'True'
        ? output.paint('red', 'REPLACED')
        : change.replacement === 'Conditional'
          ? output.paint('yellow', 'may be replaced')
          : '';
    return [
      output.paint(color, `${mark} ${change.action}`),
      change.logicalId,
      change.resourceType,
      replacement,
    ];
  });
  return renderTable(['change', 'resource', 'type', 'replacement'], rows);
}

function statusColor(status: string): Color {
  if (status.endsWith('FAILED') || status.includes('ROLLBACK')) return 'red';
  if (status.endsWith('COMPLETE')) return 'green';
  return 'gray';
}

export function renderEvent(output: Output, event: StackEventLine): string {
  const time = event.timestamp.toISOString().slice(11, 19);
  const reason = event.reason ? output.paint('gray', `  ${event.reason}`) : '';
  return `  ${time}  ${output.paint(statusColor(event.status), event.status.padEnd(28))} ${event.logicalId} ${output.paint('gray', event.resourceType)}${reason}`;
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Outputs first (what people copy), then tables and functions. */
export function renderSummary(summary: StackSummary): string {
  const rows: string[][] = [
    ['stack', `${summary.stackName} (${summary.status})`],
    ...(summary.apiUrl ? [['api url', summary.apiUrl]] : []),
    ...(summary.apiKeyId
      ? [
          [
            'api key id',
            summary.apiKeySecretArn
              ? `${summary.apiKeyId} (value: tt info --show-api-key)`
              : `${summary.apiKeyId} (value: aws apigateway get-api-key --api-key ${summary.apiKeyId} --include-value)`,
          ],
        ]
      : []),
    ...(summary.dashboardUrl ? [['dashboard', summary.dashboardUrl]] : []),
    ...(summary.bucket ? [['bucket', summary.bucket]] : []),
    ...Object.entries(summary.tables).map(([key, name]) => [`table ${key}`, name]),
  ];
  return renderTable(['', ''], rows).split('\n').slice(1).join('\n');
}
