// The document `pnpm run contract` writes from the schemas (a test holds it equal to
// buildOpenApiDocument()), bundled as data: the function carries no schemas and builds nothing at init.
import document from '../../../../../docs/openapi.json' with { type: 'json' };
import { defineRoute } from '../../http/route.ts';

/** GET /openapi.json, public: every request gets the same text, made once per container. */
export const openApiRoute = () => {
  const text = JSON.stringify(document);
  return defineRoute({
    name: 'GET /openapi.json',
    public: true,
    async handle() {
      return { text, contentType: 'application/json; charset=utf-8' };
    },
  });
};
