import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@tasktracker/core';
import { createLambdaContext, type LocalLambdaContext } from './server.ts';

export type InvokedHandler = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface LocalLambdaOptions {
  /** The handler behind a function name (`tasktracker-<stage>-<handler>`), or undefined if none. */
  resolve: (functionName: string) => Promise<InvokedHandler | undefined>;
  /** The function's timeout, as its context tells it (Lambda's maximum by default). */
  timeoutMs?: number;
  logger?: Logger;
  port?: number;
}

export interface LocalLambda {
  /** Point AWS_ENDPOINT_URL_LAMBDA here. */
  endpoint: string;
  /** Resolves when every asynchronous invocation started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `name`, `arn:aws:lambda:<region>:<account>:function:name` or either with a `:qualifier`. */
function functionNameOf(raw: string): string {
  const name = decodeURIComponent(raw);
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(name);
  return arn?.[1] ?? name.split(':')[0] ?? name;
}

/**
 * Lambda's Invoke API on loopback, for handlers that invoke functions themselves (an export starting
 * its job): InvocationType Event answers 202 and runs the handler in this process in the background,
 * RequestResponse answers with its result. No retries, no DLQ: a local stand-in, not an emulator.
 */
export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const running = new Set<Promise<unknown>>();
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '')?.[1];
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (request.method !== 'POST' || !raw) {
      return answer(
        404,
        { message: 'Only Invoke is served here' },
        { 'x-amzn-errortype': 'UnknownOperationException' },
      );
    }
    const functionName = functionNameOf(raw);
    const handler = await options.resolve(functionName);
    if (!handler) {
      return answer(
        404,
        { Type: 'User', message: `Function not found: ${functionName}` },
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
      );
    }
    let event: unknown;
    try {
      event = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return answer(
        400,
        { message: 'Could not parse request body into json' },
        { 'x-amzn-errortype': 'InvalidRequestContentException' },
      );
    }
    const context = createLambdaContext(functionName, options.timeoutMs ?? 900_000);
    if (request.headers['x-amz-invocation-type'] === 'Event') {
      const run = handler(event, context)
        .catch((error: unknown) =>
          options.logger?.error({ err: error, functionName }, 'async invocation failed'),
        )
        .finally(() => running.delete(run));
      running.add(run);
      return answer(202, undefined);
    }
    try {
      answer(200, await handler(event, context), { 'x-amz-executed-version': '$LATEST' });
    } catch (error) {
      answer(
        200,
        { errorType: (error as Error).name, errorMessage: (error as Error).message },
        {
          'x-amz-function-error': 'Unhandled',
        },
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
