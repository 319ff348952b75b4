import { describe, expect, it } from 'vitest';
import { Router } from '../../src/api/router.ts';
import type { TemplateRoute } from '../../src/api/template.ts';

const route = (method: string, path: string): TemplateRoute => ({
  method,
  path,
  apiKeyRequired: true,
  tokenRequired: false,
  functionLogicalId: `${method}${path}`,
  handlerName: `${method} ${path}`,
  validates: { body: false, parameters: false },
  requiredParameters: [],
});

const router = new Router([
  route('GET', '/tasks'),
  route('GET', '/tasks/{id}'),
  route('PUT', '/tasks/{id}'),
  route('POST', '/tasks/bulk'),
  route('GET', '/tasks/export'),
  route('OPTIONS', '/tasks/bulk'),
]);

describe('local router, as API Gateway matches', () => {
  it('takes the literal resource before a {param} sibling', () => {
    expect(router.match('POST', '/tasks/bulk')?.route.handlerName).toBe('POST /tasks/bulk');
    expect(router.match('GET', '/tasks/export')?.route.handlerName).toBe('GET /tasks/export');
    expect(router.match('GET', '/tasks/01J0000000000000000000000A')).toMatchObject({
      route: { handlerName: 'GET /tasks/{id}' },
      pathParameters: { id: '01J0000000000000000000000A' },
    });
  });

  it('answers no route for a method the literal resource lacks, never its {param} sibling', () => {
    expect(router.match('GET', '/tasks/bulk')).toBeUndefined();
    expect(router.match('PUT', '/tasks/export')).toBeUndefined();
    expect(router.match('DELETE', '/tasks/01J0000000000000000000000A')).toBeUndefined();
    expect(router.match('GET', '/tasks/a/b')).toBeUndefined();
  });

  it('decodes path parameters, keeping a malformed escape as sent', () => {
    expect(router.match('GET', '/tasks/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(router.match('GET', '/tasks/%E0%A4%A')?.pathParameters).toEqual({ id: '%E0%A4%A' });
  });
});
