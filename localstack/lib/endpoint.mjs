// Where the e2e helpers send their AWS calls, and how: SDK clients the deployer already depends on, and
// signed requests (sigv4.mjs) for the few services that have no SDK client in the workspace.
//
// Endpoint: AWS_ENDPOINT_URL_<SERVICE> (the SDK's own per-service names, so S3 and DynamoDB can point at
// different engines), else LOCALSTACK_ENDPOINT, else http://localhost:4566. Region AWS_REGION (default
// us-east-1). Credentials test/test like tt's, never the environment's: LocalStack accepts any, but maps
// an AKIA... key id to another account than the one tt deployed to. E2E_CREDENTIALS=id:secret is for
// engines that check them (the test runs these helpers against tt local serve's S3, local:local).
import { createRequire } from 'node:module';
import { signRequest } from './sigv4.mjs';

// pnpm links the SDK clients under packages/deploy/node_modules only, so a bare import from here finds
// nothing: resolve them the way @tasktracker/deploy does.
export const sdk = createRequire(new URL('../../packages/deploy/package.json', import.meta.url));

const [accessKeyId, secretAccessKey] = (process.env.E2E_CREDENTIALS || 'test:test').split(':');
export const credentials = { accessKeyId, secretAccessKey };
export const region = () => process.env.AWS_REGION || 'us-east-1';
export const localstack = () => process.env.LOCALSTACK_ENDPOINT || 'http://localhost:4566';
export const endpointFor = (service, env = process.env) =>
  env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.LOCALSTACK_ENDPOINT || 'http://localhost:4566';
export const clientConfig = (service) => ({ endpoint: endpointFor(service), region: region(), credentials });

/**
 * A signed request to a service without an SDK client here. `service` is the signing name (apigateway,
 * sqs, iam, monitoring, sns); the answer's text is returned, or an error names the call and its status.
 */
export async function signedRequest(service, { method = 'GET', path = '/', body, headers = {} }) {
  const url = `${endpointFor(service === 'apigateway' ? 'api_gateway' : service)}${path}`;
  const signed = signRequest({ method, url, region: region(), service, credentials, body, headers });
  const response = await fetch(url, { method, headers: { ...headers, ...signed }, body });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${service} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** A JSON-protocol call (SQS speaks it too, since 2023): `signedJson('sqs', 'AmazonSQS.ReceiveMessage', {...})`. */
export async function signedJson(service, target, input, version = '1.0') {
  const headers = { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target };
  const text = await signedRequest(service, { method: 'POST', body: JSON.stringify(input), headers });
  return text ? JSON.parse(text) : {};
}

/** A query-protocol call (IAM, CloudWatch, SNS): the XML answer as text. */
export function signedQuery(service, action, version, parameters = {}) {
  const body = new URLSearchParams({ Action: action, Version: version, ...parameters }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  return signedRequest(service, { method: 'POST', body, headers });
}
