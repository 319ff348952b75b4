import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The CLI's seeded generator (mulberry32), so a seed replays the same faults on every machine.
import { random as seededRandom } from '../../packages/cli/src/seed/generate.ts';

/** The faults a real DynamoDB endpoint produces and DynamoDB Local never does. */
export const FAULT_KINDS = [
  'provisionedThroughput',
  'throttling',
  'http500',
  'http500AfterApplied',
  'dropBeforeForward',
  'dropAfterApplied',
  'stall',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** The real endpoint requests go to, e.g. DynamoDB Local's. */
  target: string;
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** Seeds the fault draw, so a run's sequence of faults is the same every time. */
  seed: number;
  kinds?: readonly FaultKind[];
  stallMs?: number;
  /**
   * Picks the fault of one request by its operation (PutItem, TransactWriteItems...) instead of the
   * seeded draw; undefined forwards it untouched. For aiming one fault at one call.
   */
  script?: (operation: string) => FaultKind | undefined;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests received, including the ones answered with a fault. */
  proxied: number;
  faults: Record<FaultKind, number>;
  /** Faults by the DynamoDB operation they hit (X-Amz-Target without its prefix). */
  faultsByOperation: Record<string, number>;
  close(): Promise<void>;
}

/** The bodies AWS sends: the SDK reads the error's name from __type, so these look exactly like AWS. */
const ERROR_REPLIES: Partial<Record<FaultKind, { status: number; type: string; message: string }>> = {
  provisionedThroughput: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  },
  throttling: {
    status: 400,
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  http500: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
  http500AfterApplied: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
};

/**
 * A loopback HTTP proxy in front of a DynamoDB endpoint that gives a seeded share of requests a fault:
 * throttling (both of DynamoDB's names), a 500 (before the engine sees the request, or after it applied
 * it, as DynamoDB's InternalServerError may), a connection dropped before the request reaches the
 * engine, a connection dropped AFTER the engine applied the request (the client cannot tell it
 * happened: the hard case for non-idempotent writes), or a stall before forwarding.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const kinds = options.kinds ?? FAULT_KINDS;
  const random = seededRandom(options.seed);
  const target = new URL(options.target);
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const faultsByOperation: Record<string, number> = {};

  const forward = (
    incoming: IncomingMessage,
    body: Buffer,
    reply: (status: number, headers: object, payload: Buffer) => void,
  ) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => reply(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)));
      },
    );
    outgoing.on('error', () => incoming.socket.destroy());
    outgoing.end(body);
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer) => {
    proxy.proxied++;
    const pass = (status: number, headers: object, payload: Buffer) => {
      outgoing.writeHead(status, headers as Record<string, string>);
      outgoing.end(payload);
    };
    const operation = String(incoming.headers['x-amz-target'] ?? '').replace(/^.*\./, '') || 'unknown';
    // Two draws per request whatever the outcome, so one request's fault never shifts the next's.
    const roll = random();
    const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
    const drawn = roll < options.rate ? kind : undefined;
    const pick = options.script ? options.script(operation) : drawn;
    if (!pick) return forward(incoming, body, pass);
    faults[pick]++;
    faultsByOperation[operation] = (faultsByOperation[operation] ?? 0) + 1;
    const error = ERROR_REPLIES[pick];
    const answerError = () => {
      if (!error) return;
      outgoing.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.0' });
      outgoing.end(JSON.stringify({ __type: error.type, message: error.message }));
    };
    if (pick === 'http500AfterApplied') {
      forward(incoming, body, answerError);
    } else if (error) {
      answerError();
    } else if (pick === 'dropBeforeForward') {
      incoming.socket.destroy();
    } else if (pick === 'dropAfterApplied') {
      forward(incoming, body, () => incoming.socket.destroy());
    } else {
      setTimeout(() => forward(incoming, body, pass), options.stallMs ?? 200);
    }
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => handle(incoming, outgoing, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    proxied: 0,
    faults,
    faultsByOperation,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
