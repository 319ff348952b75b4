import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultTableNames, TaskTrackerError } from '@tasktracker/core';
import {
  defaultDataDir,
  ensureTables,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClient,
  startLocalS3,
} from '@tasktracker/local';
import {
  type AuthMode,
  apiKeyIdOf,
  createLambdaContext,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalApi,
  localSigningKey,
  localTokenVerifier,
  readTemplateApi,
  startLocalApi,
  startLocalLambda,
  type TemplateRoute,
} from '@tasktracker/local/api';
import { withGlobals } from '../runtime/action.ts';
import { openProject } from '../runtime/infrastructure.ts';
import { loggerFor, outputFor, startEmbeddedEngine } from '../runtime/session.ts';

/** --template, else the checkout's template inside a checkout, else the one embedded in this package. */
function findTemplate(explicit: string | undefined): string {
  if (!explicit) return openProject().template;
  const file = path.resolve(explicit);
  if (!existsSync(file)) throw new TaskTrackerError('VALIDATION_ERROR', `--template ${file}: no such file`);
  return file;
}

/** Relative to the working directory when inside it, else absolute. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** A taken port is the user's to change, not a crash. */
async function portFree<T>(port: string, starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new TaskTrackerError('VALIDATION_ERROR', `port ${port} is in use; choose another with --port`);
  }
}

/** `--auth` in the template's terms: jwt is what AuthMode cognito deploys. */
const AUTH_MODES: Record<'apiKey' | 'jwt' | 'both', AuthMode> = {
  apiKey: 'apiKey',
  jwt: 'cognito',
  both: 'both',
};

function sampleCalls(url: string, auth: 'apiKey' | 'jwt' | 'both', sampleKey: string): string[] {
  const credentials = [
    ...(auth === 'apiKey' ? [] : [`-H "authorization: Bearer $TOKEN"`]),
    ...(auth === 'jwt' ? [] : [`-H 'x-api-key: ${sampleKey}'`]),
  ].join(' ');
  return [
    `curl ${credentials} -H 'content-type: application/json' -d '{"title":"Buy milk"}' ${url}/tasks`,
    `curl ${credentials} '${url}/tasks?status=open'`,
    auth === 'apiKey'
      ? `(key ${sampleKey} is user ${apiKeyIdOf(sampleKey)}: tt tasks list --user ${apiKeyIdOf(sampleKey)})`
      : '(a token for alice is user alice: tt tasks list --user alice)',
  ];
}

export const serveApi = withGlobals(
  async (
    globals,
    flags: {
      port: string;
      apiKey?: string[];
      auth?: 'apiKey' | 'jwt' | 'both';
      allowedOrigins: string;
      template?: string;
    },
  ) => {
    const authMode = AUTH_MODES[flags.auth ?? 'apiKey'];
    const usesTokens = authMode !== 'apiKey';
    const output = outputFor(globals);
    const logger = loggerFor(globals);
    const stage = globals.stage ?? 'dev';
    const tables = defaultTableNames(stage);
    const engine = await startEmbeddedEngine(tables, logger, output);
    // An engine started by an older version may lack a table the handlers use (the invocation log).
    const client = localDynamoClient(engine.endpoint);
    await ensureTables(client, tables).finally(() => client.destroy());
    const bucket = `tasktracker-${stage}-local`;
    const { loadHandler } = await import('../serve/handlers.ts');
    const { docsPages } = await import('../serve/docs.ts');
    // S3 as the stack has it: an object created under imports/ invokes the import handler.
    const s3 = await startLocalS3({
      directory: path.join(defaultDataDir(), 's3'),
      buckets: [bucket],
      logger,
      onObjectCreated: {
        prefix: 'imports/',
        handle: async (records) => {
          const handler =
            await loadHandler<(event: unknown, context: unknown) => Promise<unknown>>('imports-process');
          return handler(
            { Records: records },
            createLambdaContext(`tasktracker-${stage}-imports-process`, 900_000),
          );
        },
      },
    });
    // Lambda's Invoke for the handlers that invoke functions (an export starting its job): an
    // asynchronous invocation runs the handler here, in the background.
    const functionPrefix = `tasktracker-${stage}-`;
    const lambda = await startLocalLambda({
      resolve: (name) =>
        name.startsWith(functionPrefix)
          ? loadHandler<(event: unknown, context: unknown) => Promise<unknown>>(
              name.slice(functionPrefix.length),
            ).catch(() => undefined)
          : Promise.resolve(undefined),
      logger,
    });
    // Handler modules read their configuration at load (as in Lambda's init phase): set it first.
    let api: LocalApi;
    let template: string;
    let routes: TemplateRoute[];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: engine.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
      BUCKET_NAME: bucket,
      INVOCATION_LOG_TABLE: tables.invocationLog,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      STAGE: stage,
      TASKS_TABLE: tables.tasks,
      CATEGORIES_TABLE: tables.categories,
      IDEMPOTENCY_TABLE: tables.idempotency,
      ALLOWED_ORIGINS: flags.allowedOrigins,
      LOG_LEVEL: globals.verbose ? 'debug' : (process.env.LOG_LEVEL ?? 'warn'),
    });
    try {
      template = findTemplate(flags.template);
      const templateApi = await readTemplateApi(template, authMode).catch((error: Error) => {
        throw new TaskTrackerError('VALIDATION_ERROR', `${shortPath(template)}: ${error.message}`);
      });
      routes = templateApi.routes;
      api = await portFree(
        flags.port,
        startLocalApi({
          routes,
          gatewayResponses: templateApi.gatewayResponses,
          pages: docsPages(flags.apiKey ? undefined : 'my-local-key'),
          loadHandler,
          port: Number(flags.port),
          stage,
          ...(flags.apiKey ? { apiKeys: flags.apiKey } : {}),
          ...(usesTokens ? { tokens: localTokenVerifier(await localSigningKey(defaultDataDir())) } : {}),
          logger,
        }),
      );
    } catch (error) {
      // The S3 and Lambda servers would keep the process alive after the error.
      await s3.close();
      await lambda.close();
      throw error;
    }
    const sampleKey = flags.apiKey?.[0] ?? 'my-local-key';
    output.result(
      {
        url: api.url,
        docs: `${api.url}/docs`,
        routes: routes.length,
        template,
        engine: engine.endpoint,
        s3: s3.endpoint,
        bucket,
        auth: flags.auth ?? 'apiKey',
        ...(usesTokens ? { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE } : {}),
      },
      () =>
        [
          `tasktracker API on ${api.url} (${routes.length} routes from ${shortPath(template)})`,
          `data: local engine at ${engine.endpoint}; S3 at ${s3.endpoint}, bucket ${bucket}`,
          authMode === 'cognito'
            ? 'auth: a bearer token names the user (as AuthMode cognito); no API key'
            : flags.apiKey
              ? `API keys: only the ones given with --api-key${usesTokens ? ', beside a bearer token that names the user' : ''}`
              : usesTokens
                ? 'API keys: any non-empty x-api-key, beside a bearer token that names the user'
                : 'API keys: any non-empty x-api-key; each key is its own user',
          '',
          `API reference: ${api.url}/docs (the OpenAPI document: ${api.url}/openapi.json)`,
          ...(usesTokens
            ? [
                `bearer tokens: TOKEN=$(tt local token --user alice) (issuer ${LOCAL_ISSUER}, audience ${LOCAL_AUDIENCE})`,
              ]
            : []),
          `curl ${api.url}/health`,
          ...sampleCalls(api.url, flags.auth ?? 'apiKey', sampleKey),
          `upload a CSV to s3://${bucket}/imports/<user>/file.csv (endpoint ${s3.endpoint}, credentials local/local) to import it`,
          '',
          'Ctrl-C to stop',
        ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await api.close();
    // An export job still running stops with the server; its record expires with its TTL.
    await lambda.close();
    await s3.close();
    return undefined;
  },
);
