import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '@tasktracker/local/testing';
// The deployer's template reader (it depends on this package): imported by path, test-only.
import { type CfnTemplate, parseTemplate } from '../../../deploy/src/index.ts';

export const TEMPLATE_PATH = `${REPO_ROOT}cloudformation/tasktracker.yaml`;

export function loadTemplate(path = TEMPLATE_PATH): CfnTemplate {
  return parseTemplate(readFileSync(path, 'utf8'));
}
