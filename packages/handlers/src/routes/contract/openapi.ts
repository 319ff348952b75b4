import { buildOpenApiDocument } from '../../contract/openapi.ts';
import { defineRoute } from '../../http/route.ts';

/**
 * GET /openapi.json, public: the document is built once per container (in the init phase, from the
 * schemas bundled with it) and every request gets the same text.
 */
export const openApiRoute = () => {
  const document = JSON.stringify(buildOpenApiDocument());
  return defineRoute({
    name: 'GET /openapi.json',
    public: true,
    async handle() {
      return { text: document, contentType: 'application/json; charset=utf-8' };
    },
  });
};
