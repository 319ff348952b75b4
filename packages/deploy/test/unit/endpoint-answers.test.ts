import { readFileSync } from 'node:fs';
import { ERROR_CODES, type ErrorCode } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { describeAwsError, explainAwsError } from '../../src/aws/errors.ts';
import { templateUrl } from '../../src/aws/template-url.ts';
import { AwsClients } from '../../src/index.ts';

/**
 * An SDK error for an answer it could not parse, as the SDK leaves it: the parser's message, and the
 * raw body kept on `$response` (see test/integration/deploy-moto.test.ts for moto sending them).
 */
const unparsed = (status: number, body: string) =>
  Object.assign(
    new Error(
      "char '{' is not expected.:1:1\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.",
    ),
    {
      $response: { statusCode: status, headers: {}, body },
      $metadata: { httpStatusCode: status },
    },
  );

describe("an endpoint's reason, when the SDK could not read its answer", () => {
  it('reads a JSON error (moto relays DynamoDB’s from inside CloudFormation)', () => {
    const error = unparsed(
      400,
      '{"__type": "com.amazonaws.dynamodb.v20120810#ResourceInUseException", "message": "Table already exists: tasktracker-staging-tasks"}',
    );
    expect(describeAwsError(error)).toBe(
      'ResourceInUseException: Table already exists: tasktracker-staging-tasks',
    );
    const explained = explainAwsError(error, 'deploying tasktracker-staging');
    expect(explained.code).toBe('DEPLOY_FAILED');
    expect(explained.message).not.toContain('Deserialization');
  });

  it('reads an XML error and an HTML error page, with the HTTP status of a server error', () => {
    expect(
      describeAwsError(
        unparsed(
          400,
          '<ErrorResponse><Error><Code>ValidationError</Code><Message>Bad Stage</Message></Error>',
        ),
      ),
    ).toBe('ValidationError: Bad Stage');
    expect(
      describeAwsError(
        unparsed(
          500,
          '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>',
        ),
      ),
    ).toBe(
      'the endpoint answered HTTP 500 (500 Internal Server Error: The server encountered an internal error.)',
    );
  });

  it('keeps a parsed error as the SDK gave it, and names reads by their own code', () => {
    const error = Object.assign(new Error('Stack with id x does not exist'), {
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
    expect(describeAwsError(error)).toBe('ValidationError: Stack with id x does not exist');
    expect(explainAwsError(error, 'describing x', 'AWS_REQUEST_FAILED')).toMatchObject({
      code: 'AWS_REQUEST_FAILED',
      exitCode: 9,
      message: 'describing x: ValidationError: Stack with id x does not exist',
    });
    // The SDK's retry layer adds $metadata without a status to network errors.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      $metadata: { attempts: 3 },
    });
    expect(explainAwsError(refused, 'deploying x').code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('the TemplateURL CloudFormation reads', () => {
  const clients = new AwsClients({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

  it('names a loopback endpoint localhost, path-style (moto reads no other host path-style)', async () => {
    expect(await templateUrl(clients, 'b', 'templates/t.yaml', 'http://127.0.0.1:5000')).toBe(
      'http://localhost:5000/b/templates/t.yaml',
    );
    expect(await templateUrl(clients, 'b', 'templates/t.yaml', 'http://[::1]:5000/')).toBe(
      'http://localhost:5000/b/templates/t.yaml',
    );
    expect(await templateUrl(clients, 'b', 'k', 'http://localhost:4566')).toBe('http://localhost:4566/b/k');
    expect(await templateUrl(clients, 'b', 'k', 'https://moto.internal:5000')).toBe(
      'https://moto.internal:5000/b/k',
    );
  });

  it('is virtual-hosted in the region on AWS', async () => {
    expect(await templateUrl(clients, 'b', 'k')).toBe('https://b.s3.eu-west-1.amazonaws.com/k');
  });
});

/** The codes the deployer itself raises (grep src/ for them). */
const DEPLOYER_CODES: ErrorCode[] = [
  'STACK_NOT_FOUND',
  'STACK_BUSY',
  'STACK_CONFLICT',
  'DEPLOY_FAILED',
  'TEMPLATE_INVALID',
  'AWS_REQUEST_FAILED',
  'INTERRUPTED',
];

describe("the README's error table", () => {
  it('gives each code the exit code core’s table gives it, and leaves none of the deployer’s out', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)`\s*\| (\d+)\s*\|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.length).toBeGreaterThan(0);
    for (const [code, exit] of rows)
      expect(ERROR_CODES[code as ErrorCode]?.exitCode, String(code)).toBe(exit);
    const listed = new Set(rows.map(([code]) => code));
    for (const code of DEPLOYER_CODES) expect(listed.has(code), code).toBe(true);
  });
});
