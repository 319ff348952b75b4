import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { useCli } from './harness.ts';

/**
 * `tt login` against moto's cognito-idp (InitiateAuth with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH).
 * moto's CloudFormation does not create user pools (see auth-modes.test.ts), so the pool and its app
 * client are made here through the API, as the template declares them, and --client-id names the client.
 */
const moto = useMoto();
const cli = useCli();
const env = { AWS_REGION: 'us-east-1', TASKTRACKER_PASSWORD: 'Correct-Horse-42' };

async function cognito<T>(action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request',
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T;
  expect(response.status, `${action}: ${JSON.stringify(answer)}`).toBe(200);
  return answer;
}

const BIN = fileURLToPath(new URL('../../dist/tt.mjs', import.meta.url));

/** `tt ...` with `input` piped to its stdin (the harness's runs have none). */
function runWithStdin(
  args: string[],
  input: string,
  dataDir: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        TASKTRACKER_DATA_DIR: dataDir,
        XDG_CONFIG_HOME: dataDir,
      },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(input);
  });
}

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

let clientId = '';
const login = (args: string[], extraEnv: Record<string, string> = {}) =>
  cli.run(['login', '--target', moto.endpoint, '--client-id', clientId, '--json', ...args], {
    ...env,
    ...extraEnv,
  });

describe.skipIf(!motoServer)('tt login against moto cognito-idp', () => {
  beforeAll(async () => {
    const { UserPool } = await cognito<{ UserPool: { Id: string } }>('CreateUserPool', {
      PoolName: 'tasktracker-dev',
    });
    const { UserPoolClient } = await cognito<{ UserPoolClient: { ClientId: string } }>(
      'CreateUserPoolClient',
      {
        UserPoolId: UserPool.Id,
        ClientName: 'tasktracker-dev-cli',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      },
    );
    clientId = UserPoolClient.ClientId;
    await cognito('AdminCreateUser', {
      UserPoolId: UserPool.Id,
      Username: 'alice',
      MessageAction: 'SUPPRESS',
    });
    await cognito('AdminSetUserPassword', {
      UserPoolId: UserPool.Id,
      Username: 'alice',
      Password: env.TASKTRACKER_PASSWORD,
      Permanent: true,
    });
  }, 60_000);

  const file = () => join(cli.dataDir(), 'tasktracker', 'auth', 'dev.json');

  it('signs in with USER_PASSWORD_AUTH and keeps the tokens in a 0600 file of the config directory', async () => {
    const result = await login(['--username', 'alice']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ signedIn: true, username: 'alice', stage: 'dev', file: file() });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(statSync(join(cli.dataDir(), 'tasktracker', 'auth')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(file(), 'utf8'));
    expect(saved.refreshToken).toEqual(expect.any(String));
    const claims = claimsOf(saved.idToken);
    expect(claims.aud).toBe(clientId);
    expect(claims.sub).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));

    const printed = await cli.run(['login', '--print-token', '--json'], env);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.json()).toMatchObject({ idToken: saved.idToken, refreshed: false });
  });

  it('refreshes an expired ID token with REFRESH_TOKEN_AUTH, saves it, and keeps the file 0600', async () => {
    const before = JSON.parse(readFileSync(file(), 'utf8'));
    writeFileSync(file(), JSON.stringify({ ...before, expiresAt: '2000-01-01T00:00:00.000Z' }), {
      mode: 0o644,
    });
    const printed = await cli.run(['login', '--print-token', '--json'], env);
    expect(printed.code, printed.stderr).toBe(0);
    const answer = printed.json<{ idToken: string; refreshed: boolean; expiresAt: string }>();
    expect(answer.refreshed).toBe(true);
    expect(Date.parse(answer.expiresAt)).toBeGreaterThan(Date.now());
    expect(claimsOf(answer.idToken).sub).toBe(claimsOf(before.idToken).sub);
    const after = JSON.parse(readFileSync(file(), 'utf8'));
    expect(after).toMatchObject({ idToken: answer.idToken, refreshToken: before.refreshToken });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('a wrong password is refused in one line, and the saved sign-in is left as it was', async () => {
    const before = readFileSync(file(), 'utf8');
    const result = await login(['--username', 'alice'], { TASKTRACKER_PASSWORD: 'wrong-password-1' });
    expect(result.code).toBe(1);
    // --json: the error is the one JSON document, with its code.
    expect(result.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(`${result.stdout}${result.stderr}`).toMatch(/sign-in refused/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('reads the password from stdin with --password-stdin (never from a flag)', async () => {
    const result = await runWithStdin(
      [
        'login',
        '--target',
        moto.endpoint,
        '--client-id',
        clientId,
        '--username',
        'alice',
        '--password-stdin',
        '--json',
      ],
      `${env.TASKTRACKER_PASSWORD}\n`,
      cli.dataDir(),
    );
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ signedIn: true, username: 'alice' });
  });

  it('without --client-id it reads the stack, and says so when there is none', async () => {
    const result = await cli.run(
      ['login', '--target', moto.endpoint, '--username', 'alice', '--stage', 'staging'],
      env,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no stack tasktracker-staging/);
  });

  it('logout forgets the sign-in; --print-token then asks for tt login', async () => {
    expect((await cli.run(['logout', '--json'], env)).code).toBe(0);
    const printed = await cli.run(['login', '--print-token'], env);
    expect(printed.code).toBe(1);
    expect(printed.stderr).toMatch(/run tt login/);
  });
});
