import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger, loadConfig } from '../../src/index.ts';

describe('config', () => {
  it('defaults table names from the stage', () => {
    const config = loadConfig({ STAGE: 'prod' });
    expect(config.tables.tasks).toBe('tasktracker-prod-tasks');
    expect(config.logLevel).toBe('info');
  });

  it('names the malformed variable in one line', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL is "loud": /);
    expect(() => loadConfig({ IDEMPOTENCY_TTL_SECONDS: 'soon' })).toThrow(/IDEMPOTENCY_TTL_SECONDS/);
  });
});

describe('logger', () => {
  const capture = (level: 'debug' | 'info') => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { logger: createLogger({ level, destination }), lines };
  };

  it('writes JSON at the configured level and carries child fields', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.child({ correlationId: 'c-1' }).info({ n: 1 }, 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', correlationId: 'c-1', n: 1, msg: 'shown' });
  });

  it('redacts authorization headers, API keys and tokens at any depth we log', () => {
    const { logger, lines } = capture('debug');
    logger.debug({
      headers: { authorization: 'Bearer abc', 'x-api-key': 'key-123', Authorization: 'Basic x' },
      event: { headers: { 'X-Api-Key': 'key-456' } },
      token: 'tok',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['Bearer abc', 'key-123', 'Basic x', 'key-456', '"tok"'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });

  it('redacts deep bodies, child bindings and fields of logged errors', () => {
    const { logger, lines } = capture('debug');
    const child = logger.child({ session: { cookie: 'c=1' } });
    child.debug({ body: { a: { b: { c: { d: { refreshToken: 'deep-1' } } } } } });
    child.error({ err: Object.assign(new Error('denied'), { authorization: 'Bearer err-1' }) }, 'failed');
    const text = JSON.stringify(lines);
    for (const secret of ['c=1', 'deep-1', 'Bearer err-1']) expect(text).not.toContain(secret);
    expect(lines[1]).toMatchObject({ err: { message: 'denied', authorization: '[REDACTED]' } });
  });

  it("names a logged error's type by its name, which survives a minified bundle's renamed classes", () => {
    const { logger, lines } = capture('info');
    // What esbuild's minifier makes of `class NoSuchKey extends Error`: the class is called `t`.
    const minified = { t: class extends Error {} }.t;
    const error = Object.assign(new minified('The specified key does not exist.'), { name: 'NoSuchKey' });
    expect(error.constructor.name).toBe('t');
    logger.error({ err: error }, 'import failed');
    logger.error({ err: new TypeError('x is not a function') }, 'bug');
    logger.error({ err: new Error('plain') }, 'plain');
    expect(lines.map((line) => (line.err as { type: string }).type)).toEqual([
      'NoSuchKey',
      'TypeError',
      'Error',
    ]);
  });
});
