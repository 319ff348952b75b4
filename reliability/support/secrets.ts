import { randomBytes } from 'node:crypto';

/**
 * Distinctive secrets, new on every run, so a hit in the logs can only be a leak of what this run sent.
 * Each one travels where real clients put credentials: headers, query strings and bodies.
 */
export function makeSecrets() {
  const tag = () => randomBytes(8).toString('hex');
  return {
    apiKey: `ak-live-${tag()}`,
    bearer: `eyJhbGciOiJIUzI1NiJ9.bearer-${tag()}`,
    cookie: `session-${tag()}`,
    amzToken: `amz-sts-${tag()}`,
    queryToken: `qtok-${tag()}`,
    queryKey: `qkey-${tag()}`,
    bodyToken: `btok-${tag()}`,
    bodyPassword: `bpw-${tag()}`,
    deepSecret: `deep-${tag()}`,
  };
}
export type Secrets = ReturnType<typeof makeSecrets>;

/** Headers carrying every header-borne secret. */
export function secretHeaders(secrets: Secrets): Record<string, string> {
  return {
    'x-api-key': secrets.apiKey,
    Authorization: `Bearer ${secrets.bearer}`,
    Cookie: `sid=${secrets.cookie}`,
    'X-Amz-Security-Token': secrets.amzToken,
  };
}

/** A query string naming tokens the way careless clients do. */
export function secretQuery(secrets: Secrets): Record<string, string> {
  return { token: secrets.queryToken, api_key: secrets.queryKey };
}

/** Bodies with secrets at the top level and nested several levels deep. */
export function secretBodies(secrets: Secrets): object[] {
  return [
    { title: 'visible-title', token: secrets.bodyToken },
    { title: 'visible-title', password: secrets.bodyPassword },
    { title: 'visible-title', a: { b: { c: { token: secrets.deepSecret } } } },
    { title: 'visible-title', auth: { headers: { Authorization: `Bearer ${secrets.bearer}` } } },
    { action: 'complete', ids: ['01J00000000000000000000000'], credentials: { secret: secrets.deepSecret } },
  ];
}

/** The secrets found in some text, by name: empty means nothing leaked. */
export function leaked(secrets: Secrets, text: string): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}
