import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod/mini';
import { type CognitoEndpoint, type CognitoTokens, refreshTokens } from './cognito.ts';

/** What `tt login` keeps per stage: the tokens and where they came from, so a refresh needs no flags. */
const SavedSignInSchema = z.object({
  username: z.string(),
  endpoint: z.object({ url: z.string(), clientId: z.string() }),
  idToken: z.string(),
  accessToken: z.string(),
  refreshToken: z.string(),
  /** ISO time the ID and access tokens expire. */
  expiresAt: z.string(),
});
export type SavedSignIn = z.infer<typeof SavedSignInSchema>;

/** Refresh a minute early, so a token is not handed out to expire on its way to API Gateway. */
const EARLY_MS = 60_000;

/** $XDG_CONFIG_HOME/tasktracker/auth/<stage>.json (else ~/.config/...), mode 0600 in a 0700 directory. */
export function signInFile(stage: string, env = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'tasktracker', 'auth', `${stage}.json`);
}

export async function saveSignIn(file: string, saved: SavedSignIn): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file: an older file is narrowed too.
  await chmod(file, 0o600);
}

export async function readSignIn(file: string): Promise<SavedSignIn | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const saved = SavedSignInSchema.safeParse(json);
  if (!saved.success)
    throw new TaskTrackerError('VALIDATION_ERROR', `${file} is not a saved sign-in: run tt login again`);
  return saved.data;
}

export function deleteSignIn(file: string): Promise<void> {
  return rm(file, { force: true });
}

export function fromTokens(
  username: string,
  endpoint: CognitoEndpoint,
  tokens: CognitoTokens,
  refreshToken: string,
  now = Date.now(),
): SavedSignIn {
  return {
    username,
    endpoint,
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? refreshToken,
    expiresAt: new Date(now + tokens.expiresIn * 1000).toISOString(),
  };
}

/**
 * The saved sign-in with an ID token that is still good: refreshed with REFRESH_TOKEN_AUTH (and saved)
 * when it has expired. The ID token is what the API's Cognito authorizer checks.
 */
export async function currentSignIn(
  file: string,
  now = Date.now(),
): Promise<{ signIn: SavedSignIn; refreshed: boolean }> {
  const saved = await readSignIn(file);
  if (!saved) throw new TaskTrackerError('UNAUTHORIZED', 'not signed in to this stage: run tt login');
  if (Date.parse(saved.expiresAt) - EARLY_MS > now) return { signIn: saved, refreshed: false };
  const tokens = await refreshTokens(saved.endpoint, saved.refreshToken);
  const renewed = fromTokens(saved.username, saved.endpoint, tokens, saved.refreshToken, now);
  await saveSignIn(file, renewed);
  return { signIn: renewed, refreshed: true };
}
