import type { TemplateRoute } from './template.ts';

export interface RouteMatch {
  route: TemplateRoute;
  pathParameters: Record<string, string> | null;
}

/** One API Gateway resource (a path) and the methods declared on it. */
interface Resource {
  segments: string[];
  methods: Map<string, TemplateRoute>;
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/**
 * Which of two resources that both fit a path API Gateway picks: the one with a literal segment where
 * the other has a {param}, at the first place they differ (/tasks/bulk beats /tasks/{id}).
 */
function moreSpecific(a: Resource, b: Resource): number {
  for (let index = 0; index < a.segments.length; index++) {
    const literalA = !isParameter(a.segments[index] as string);
    const literalB = !isParameter(b.segments[index] as string);
    if (literalA !== literalB) return literalA ? -1 : 1;
  }
  return 0;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Matches as API Gateway does: first the resource (literal paths before {param}s), then the method on
 * that resource. A method the resource does not declare is no route at all (API Gateway answers 403),
 * never a fall-through to a {param} sibling: GET /tasks/bulk is not GET /tasks/{id}.
 */
export class Router {
  private readonly resources: Resource[];

  constructor(routes: TemplateRoute[]) {
    const byPath = new Map<string, Resource>();
    for (const route of routes) {
      let resource = byPath.get(route.path);
      if (!resource) {
        resource = { segments: route.path.split('/').filter(Boolean), methods: new Map() };
        byPath.set(route.path, resource);
      }
      resource.methods.set(route.method, route);
    }
    this.resources = [...byPath.values()];
  }

  /** The resource a path names, with its path parameters, whatever the method. */
  private resourceFor(path: string): { resource: Resource; parameters: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    const fitting = this.resources.filter(
      ({ segments }) =>
        segments.length === parts.length &&
        segments.every((segment, index) => isParameter(segment) || segment === parts[index]),
    );
    const [resource] = fitting.sort(moreSpecific);
    if (!resource) return undefined;
    const parameters: Record<string, string> = {};
    resource.segments.forEach((segment, index) => {
      if (isParameter(segment)) parameters[segment.slice(1, -1)] = decoded(parts[index] as string);
    });
    return { resource, parameters };
  }

  /** The route for a method and path, or undefined (API Gateway then answers 403). */
  match(method: string, path: string): RouteMatch | undefined {
    const found = this.resourceFor(path);
    const route = found?.resource.methods.get(method);
    if (!found || !route) return undefined;
    return { route, pathParameters: Object.keys(found.parameters).length > 0 ? found.parameters : null };
  }
}
