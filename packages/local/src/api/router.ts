import type { TemplateRoute } from './template.ts';

export interface RouteMatch {
  route: TemplateRoute;
  pathParameters: Record<string, string> | null;
}

interface CompiledRoute {
  route: TemplateRoute;
  segments: string[];
  /** Static segments rank before {param}s, as in API Gateway: /tasks/bulk beats /tasks/{id}. */
  rank: number;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: TemplateRoute[]) {
    this.routes = routes
      .map((route) => {
        const segments = route.path.split('/').filter(Boolean);
        return { route, segments, rank: segments.filter((segment) => !segment.startsWith('{')).length };
      })
      .sort((a, b) => b.rank - a.rank);
  }

  /** The route for a method and path, or undefined (API Gateway then answers 403). */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const { route, segments } of this.routes) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const parameters: Record<string, string> = {};
      const fits = segments.every((segment, index) => {
        const part = parts[index] as string;
        if (segment.startsWith('{') && segment.endsWith('}')) {
          try {
            parameters[segment.slice(1, -1)] = decodeURIComponent(part);
          } catch {
            parameters[segment.slice(1, -1)] = part;
          }
          return true;
        }
        return segment === part;
      });
      if (fits) return { route, pathParameters: Object.keys(parameters).length > 0 ? parameters : null };
    }
    return undefined;
  }
}
