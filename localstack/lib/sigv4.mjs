// AWS Signature Version 4 for the one API call of localstack/e2e.sh that has no SDK client in the
// workspace: API Gateway's GetApiKey (the key's value). Adding @aws-sdk/client-api-gateway for one GET
// would be a new dependency for a script most machines never run; node:crypto signs it in a page.
//
// LocalStack does not check signatures, but it reads the service and region from the credential scope
// of the Authorization header to route the request; a correct signature also works against AWS.
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* as they are). */
const encode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** 2015-08-30T12:36:00.000Z → 20150830T123600Z */
export const amzDate = (date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * The headers to send with the request: the given ones, host, x-amz-date and authorization. Paths are signed as URL gives them (already percent-encoded once): right for API
 * Gateway's ids, which are letters and digits.
 */
export function signRequest({ method, url, region, service, credentials, body = '', headers = {}, date }) {
  const target = new URL(url);
  const stamp = amzDate(date ?? new Date());
  const day = stamp.slice(0, 8);
  const signed = {
    ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: target.host,
    'x-amz-date': stamp,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(signed).sort();
  const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const query = [...target.searchParams]
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, x], [b, y]) => byCodePoint(a, b) || byCodePoint(x, y))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    method.toUpperCase(),
    target.pathname || '/',
    query,
    names.map((name) => `${name}:${String(signed[name]).trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    sha256Hex(body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [day, region, service, 'aws4_request'].reduce(
    (key, part) => hmac(key, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    ...signed,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
