import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluateTemplate, parseTemplate } from '@tasktracker/deploy';
import { API_ROUTES } from '@tasktracker/handlers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthMode,
  generateSigningKey,
  issueLocalToken,
  type LocalApi,
  type LocalSigningKey,
  localTokenVerifier,
  type ProxyEvent,
  readTemplateApi,
  startLocalApi,
} from '../../src/api/index.ts';

const TEMPLATE = fileURLToPath(new URL('../../../../cloudformation/tasktracker.yaml', import.meta.url));

describe("the template's AuthMode, read as CloudFormation decides it", () => {
  for (const [mode, key, token] of [
    ['apiKey', true, false],
    ['cognito', false, true],
    ['both', true, true],
  ] as const)
    it(`${mode}: guarded routes want ${key ? 'a key' : 'no key'} and ${token ? 'a token' : 'no token'}; health and preflights neither`, async () => {
      const { routes } = await readTemplateApi(TEMPLATE, mode as AuthMode);
      for (const route of API_ROUTES) {
        const served = routes.find((r) => r.method === route.method && r.path === route.path);
        expect([served?.apiKeyRequired, served?.tokenRequired], `${route.method} ${route.path}`).toEqual(
          route.public ? [false, false] : [key, token],
        );
      }
      for (const preflight of routes.filter((route) => route.method === 'OPTIONS'))
        expect([preflight.apiKeyRequired, preflight.tokenRequired]).toEqual([false, false]);
    });

  it('has the user pool, its client, the authorizer and their outputs only where a mode signs users in', () => {
    const template = parseTemplate(readFileSync(TEMPLATE, 'utf8'));
    for (const [mode, signsIn] of [
      ['apiKey', false],
      ['cognito', true],
      ['both', true],
    ] as const) {
      const { Resources, Outputs } = evaluateTemplate(template, { AuthMode: mode });
      for (const id of ['UserPool', 'UserPoolClient', 'CognitoAuthorizer'])
        expect(id in Resources, `${id} with ${mode}`).toBe(signsIn);
      for (const id of ['UserPoolId', 'UserPoolClientId', 'UserPoolIssuer'])
        expect(id in Outputs, `${id} with ${mode}`).toBe(signsIn);
      // The API key and usage plan stay in every mode: in both they meter, in cognito they are unused.
      expect('UsagePlan' in Resources).toBe(true);
    }
    const client = evaluateTemplate(template, { AuthMode: 'cognito' }).Resources.UserPoolClient?.Properties;
    // tt login signs in with USER_PASSWORD_AUTH and refreshes with REFRESH_TOKEN_AUTH; no secret to keep.
    expect(client?.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
    expect(client?.GenerateSecret).toBe(false);
  });

  it('the default is apiKey, as deployed without the parameter', async () => {
    const { routes } = await readTemplateApi(TEMPLATE);
    expect(routes.some((route) => route.tokenRequired)).toBe(false);
  });
});

/** The local Cognito authorizer: an echoing function behind every route, so the gateway's part is seen. */
describe('the local API with AuthMode both: the token names the user, the key is still required', () => {
  let api: LocalApi;
  let key: LocalSigningKey;
  const invoked: ProxyEvent[] = [];

  beforeAll(async () => {
    key = await generateSigningKey();
    const { routes, gatewayResponses } = await readTemplateApi(TEMPLATE, 'both');
    api = await startLocalApi({
      routes,
      gatewayResponses,
      port: 0,
      tokens: localTokenVerifier(key),
      loadHandler: async () => async (event) => {
        invoked.push(event);
        return { statusCode: 200, body: '{}' };
      },
    });
  });
  afterAll(() => api?.close());

  const call = (path: string, headers: Record<string, string>) => fetch(`${api.url}${path}`, { headers });

  it('a valid token reaches the function as the authorizer’s claims, sub first', async () => {
    const token = await issueLocalToken(key, { user: 'alice', email: 'alice@example.com' });
    const answer = await call('/tasks', { authorization: `Bearer ${token}`, 'x-api-key': 'k' });
    expect(answer.status).toBe(200);
    const authorizer = invoked.at(-1)?.requestContext.authorizer as
      | { claims: Record<string, string> }
      | undefined;
    const claims = authorizer?.claims ?? {};
    expect(claims).toMatchObject({ sub: 'alice', email: 'alice@example.com', token_use: 'id' });
    expect(claims.exp).toMatch(/^\d+$/);
  });

  it('no token is 401 with API Gateway’s body and our X-Correlation-Id, before the key is looked at', async () => {
    const before = invoked.length;
    const answer = await call('/tasks', { 'x-api-key': 'k', origin: 'https://app.example' });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect(answer.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const noKey = await call('/tasks', {});
    expect(noKey.status).toBe(401);
    expect(invoked.length).toBe(before);
  });

  it('a valid token without the key is 403: in both, the usage plan still meters', async () => {
    const token = await issueLocalToken(key, { user: 'alice' });
    expect((await call('/tasks', { authorization: `Bearer ${token}` })).status).toBe(403);
  });

  it('health needs neither', async () => {
    expect((await call('/health', {})).status).toBe(200);
  });

  it('refuses to start without a verifier for routes an authorizer guards', async () => {
    const { routes } = await readTemplateApi(TEMPLATE, 'cognito');
    await expect(
      startLocalApi({ routes, port: 0, loadHandler: async () => async () => ({ statusCode: 200 }) }),
    ).rejects.toThrow(/token verifier/);
  });
});
