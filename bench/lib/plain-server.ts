/**
 * The floor of bench/api-throughput.ts: about the least code that serves one Lambda handler over HTTP.
 * node:http, the handler bundle imported in-process, a bare proxy event, no routing, no limits, no
 * gateway checks beyond "an API key is present". Usage: node plain-server.ts <bundle.mjs> <userId>;
 * prints {"url": ...} once listening. The handler reads its tables from the environment, as in Lambda.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; headers?: object; body?: string }>;

const [bundle, userId] = process.argv.slice(2) as [string, string];
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };
const context = { functionName: 'plain', awsRequestId: 'plain', getRemainingTimeInMillis: () => 29_000 };

const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (!request.headers['x-api-key']) {
    response.writeHead(403).end('{"message":"Forbidden"}');
    return;
  }
  const result = await handler(
    {
      httpMethod: request.method,
      path: request.url,
      resource: '/tasks',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      isBase64Encoded: false,
      requestContext: { identity: { apiKeyId: userId } },
    },
    context,
  );
  response.writeHead(result.statusCode, result.headers as Record<string, string>).end(result.body ?? '');
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
