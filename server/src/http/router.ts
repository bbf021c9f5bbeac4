/**
 * A tiny router: method + path pattern → handler. Path parameters are
 * positive integers (every id of the contract), so `:id` only matches digits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INT32_MAX } from '@ecc/protocol';
import type { Logger } from '../logger.ts';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Numeric path parameters by name. */
  params: Record<string, number>;
  log: Logger;
  requestId: string;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

export type RouteMatch = { kind: 'found'; handler: Handler; params: Record<string, number> } | { kind: 'method_not_allowed' } | { kind: 'none' };

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([1-9][0-9]{0,14})';
      })
      .join('/');
    this.routes.push({ method, regex: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      // HEAD is a GET without the body (HTTP; load balancers' health checks use it): Node drops the body.
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, number> = {};
      route.names.forEach((name, i) => {
        params[name] = Number(m[i + 1]);
      });
      // Ids are 32-bit columns: a larger one names nothing (404), it is never sent to the database.
      if (Object.values(params).some((id) => id > INT32_MAX)) return { kind: 'none' };
      return { kind: 'found', handler: route.handler, params };
    }
    return pathMatched ? { kind: 'method_not_allowed' } : { kind: 'none' };
  }
}
