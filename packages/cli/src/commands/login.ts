import { TaskTrackerError } from '@tasktracker/core';
import { listStackResources, requireStack, summarizeStack } from '@tasktracker/deploy';
import { cognitoUrl, signIn } from '../auth/cognito.ts';
import { currentSignIn, deleteSignIn, fromTokens, saveSignIn, signInFile } from '../auth/token-store.ts';
import { withGlobals } from '../runtime/action.ts';
import { openAws, stageOf } from '../runtime/aws.ts';
import { outputFor } from '../runtime/session.ts';

interface LoginFlags {
  username?: string;
  passwordStdin?: boolean;
  clientId?: string;
  printToken?: boolean;
  stack?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The password from stdin or TASKTRACKER_PASSWORD: never a flag, which would land in shell history. */
async function passwordOf(flags: LoginFlags): Promise<string> {
  const password = flags.passwordStdin ? await readStdin() : process.env.TASKTRACKER_PASSWORD;
  if (!password)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      'no password: pipe it in with --password-stdin, or set TASKTRACKER_PASSWORD',
    );
  return password;
}

/** --client-id, else the stack's UserPoolClientId output (AuthMode cognito or both deploys it). */
async function clientIdOf(context: ReturnType<typeof openAws>, flags: LoginFlags): Promise<string> {
  if (flags.clientId) return flags.clientId;
  const { stack } = await requireStack(context.clients, { stage: context.stage, stackName: flags.stack });
  const summary = summarizeStack(stack, await listStackResources(context.clients, stack.StackId ?? ''));
  const clientId = summary.outputs.UserPoolClientId;
  if (!clientId)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `${summary.stackName} has no user pool: deploy it with --parameter AuthMode=cognito (or both), or give --client-id`,
    );
  return clientId;
}

export const login = withGlobals(async (globals, flags: LoginFlags) => {
  const output = outputFor(globals);
  const file = signInFile(stageOf(globals));
  if (flags.printToken) {
    const { signIn: saved, refreshed } = await currentSignIn(file);
    output.result(
      { idToken: saved.idToken, expiresAt: saved.expiresAt, refreshed, username: saved.username },
      () => saved.idToken,
    );
    return;
  }
  if (!flags.username) throw new TaskTrackerError('VALIDATION_ERROR', 'tt login needs --username');
  const context = openAws(globals, 'login');
  const region = (await context.clients.cloudformation.config.region()) ?? 'us-east-1';
  const endpoint = { url: cognitoUrl(region, context.endpoint), clientId: await clientIdOf(context, flags) };
  const tokens = await signIn(endpoint, flags.username, await passwordOf(flags));
  if (!tokens.refreshToken)
    throw new TaskTrackerError('SERVICE_UNAVAILABLE', 'Cognito gave no refresh token');
  const saved = fromTokens(flags.username, endpoint, tokens, tokens.refreshToken);
  await saveSignIn(file, saved);
  output.result(
    { signedIn: true, username: saved.username, stage: context.stage, expiresAt: saved.expiresAt, file },
    () =>
      `Signed in as ${saved.username} (stage ${context.stage}); tokens in ${file}, valid until ${saved.expiresAt} and refreshed after.\nUse one: curl -H "Authorization: Bearer $(tt login --print-token)" <ApiUrl>/tasks`,
  );
});

export const logout = withGlobals(async (globals) => {
  const file = signInFile(stageOf(globals));
  await deleteSignIn(file);
  outputFor(globals).result({ signedOut: true, file }, () => `Signed out (removed ${file})`);
});
