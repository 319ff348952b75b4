import { TaskTrackerError } from '@tasktracker/core';
import type { CfnTemplate, TemplateNode } from './parse.ts';

/** Set by the deployer itself: a --parameter cannot move them. */
export const MANAGED_PARAMETERS = ['Stage', 'ArtifactBucket', 'ArtifactPrefix'];

function problemWith(declared: TemplateNode, value: string): string | undefined {
  const allowed = declared.AllowedValues as unknown[] | undefined;
  if (allowed && !allowed.map(String).includes(value)) return `must be one of ${allowed.join(', ')}`;
  if (declared.Type === 'Number') {
    if (value.trim() === '' || !Number.isFinite(Number(value))) return 'must be a number';
    if (declared.MinValue !== undefined && Number(value) < Number(declared.MinValue))
      return `must be at least ${declared.MinValue}`;
    if (declared.MaxValue !== undefined && Number(value) > Number(declared.MaxValue))
      return `must be at most ${declared.MaxValue}`;
  }
  if (declared.AllowedPattern !== undefined && !new RegExp(`^(?:${declared.AllowedPattern})$`).test(value))
    return `must match ${declared.AllowedPattern}`;
  if (declared.MaxLength !== undefined && value.length > Number(declared.MaxLength))
    return `must be at most ${declared.MaxLength} characters`;
  return undefined;
}

/**
 * Checks --parameter values against the template's own declarations before anything is uploaded:
 * an unknown key, a value outside AllowedValues, a non-number for a Number. CloudFormation would refuse
 * them too, but later and in fewer words.
 */
export function checkParameters(template: CfnTemplate, given: Record<string, string>): void {
  const declared = template.Parameters ?? {};
  const settable = Object.keys(declared).filter((name) => !MANAGED_PARAMETERS.includes(name));
  const problems: { path: string[]; message: string }[] = [];
  for (const [key, value] of Object.entries(given)) {
    const declaration = declared[key];
    if (MANAGED_PARAMETERS.includes(key))
      problems.push({
        path: [key],
        message: `is set by tt deploy${key === 'Stage' ? ' (use --stage)' : ''}`,
      });
    else if (!declaration)
      problems.push({
        path: [key],
        message: `is no parameter of the template (it has ${settable.join(', ')})`,
      });
    else {
      const problem = problemWith(declaration, value);
      if (problem) problems.push({ path: [key], message: `${problem}, not "${value}"` });
    }
  }
  const first = problems[0];
  if (first)
    throw new TaskTrackerError('VALIDATION_ERROR', `--parameter ${first.path[0]} ${first.message}`, problems);
}

/**
 * A stage the template's Stage parameter does not allow (its AllowedValues) is refused before anything
 * is packaged or sent: CloudFormation would refuse it only after the upload and a change set.
 */
export function checkStage(template: CfnTemplate, stage: string): void {
  const declared = template.Parameters?.Stage;
  const problem = declared ? problemWith(declared, stage) : undefined;
  if (problem)
    throw new TaskTrackerError('VALIDATION_ERROR', `--stage ${problem}, not "${stage}"`, [
      { path: ['stage'], message: problem },
    ]);
}
