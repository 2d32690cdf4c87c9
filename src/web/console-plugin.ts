import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ControlPlane } from '../control/index.js';
import type { DesiredConnection } from '../domain/desired-state.js';
import { DomainError } from '../domain/errors.js';
import type { PeerConfigFormat } from '../domain/peer-config-formats.js';
import { HTTP_STATUS } from '../api/http-status.js';
import { connectionRoutes } from './connection-routes.js';
import { CONSOLE_CSS, FAVICON_SVG } from './console-css.js';
import type { FormBody } from './console-form.js';
import { messagePage } from './console-layout.js';
import { networkRoutes } from './network-routes.js';
import { CSRF_FIELD, CSRF_HEADER, cookieOf, csrfMatches, csrfOf, SESSION_COOKIE } from './console-session.js';
import { gatewayRoutes } from './gateway-routes.js';
import { policyRoutes } from './policy-routes.js';
import { signInRoutes } from './sign-in-routes.js';
import { StatusStreams } from './status-stream.js';
import { timelineRoutes } from './timeline-routes.js';

/** Renders a connection's peer configuration (the data plane's renderer, injected by the composition). */
export type ConsolePeerConfigRenderer = (d: DesiredConnection, format: PeerConfigFormat) => string;

export interface ConsoleOptions {
  readonly control: ControlPlane;
  readonly publicUrl: string;
  /** Whether publicUrl was configured (not derived from the listen address): then POSTs must come from its origin. */
  readonly publicUrlSet?: boolean;
  /** Offered for download in every format the domain lists (PEER_CONFIG_FORMATS), the default first. */
  readonly renderPeerConfig?: ConsolePeerConfigRenderer;
}

/** Every /console answer carries this policy: nothing inline, nothing from elsewhere. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console route that needs no signed-in user (sign-in, assets). */
    readonly consolePublic?: boolean;
  }
}

/** Route schemas of the console: HTML answers, form bodies; kept out of /openapi.json (it is no API). */
export const HTML_ROUTE = { hide: true, response: { 200: Type.String({ description: 'text/html' }) } };
const FormSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
export const FORM_ROUTE = { ...HTML_ROUTE, body: FormSchema };

function parseForm(text: string): FormBody {
  const out: FormBody = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

const nodeRequire = createRequire(import.meta.url);
const fromPackage = (path: string) => (): string => readFileSync(nodeRequire.resolve(path), 'utf8');
/** The static files under /console/assets: htmx and its SSE extension as their packages ship them, the style sheet, the icon. */
const ASSETS: Readonly<Record<string, { type: string; read: () => string }>> = {
  'htmx.min.js': { type: 'text/javascript; charset=utf-8', read: fromPackage('htmx.org/dist/htmx.min.js') },
  'sse.min.js': { type: 'text/javascript; charset=utf-8', read: fromPackage('htmx-ext-sse/dist/sse.min.js') },
  'console.css': { type: 'text/css; charset=utf-8', read: () => CONSOLE_CSS },
  'favicon.svg': { type: 'image/svg+xml', read: () => FAVICON_SVG },
};
const assetCache = new Map<string, string>();
function asset(name: string): { type: string; body: string } | undefined {
  const a = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!a) return undefined;
  const body = assetCache.get(name) ?? a.read();
  assetCache.set(name, body);
  return { type: a.type, body };
}

/**
 * A browser's POST names the page it came from in Origin: it must be this server (a sign-in made from
 * another site included), scheme, host and port all. The origin is the configured public URL's when
 * there is one (behind a proxy that terminates TLS or rewrites Host), else the request's own.
 */
export function sameOrigin(req: FastifyRequest, publicOrigin: string | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const expected = publicOrigin ?? new URL(`${req.protocol}://${req.headers.host ?? ''}`).origin;
    return new URL(origin).origin === expected;
  } catch {
    return false;
  }
}

/** Sends an HTML page. */
export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/**
 * The web console at /console: server-rendered pages (htmx and its SSE extension for live status),
 * signed in with an API key whose token sits in an HttpOnly, SameSite=Strict cookie. Every read and
 * write goes through the control plane as the signed-in actor.
 */
export async function consolePlugin(app: FastifyInstance, o: ConsoleOptions): Promise<void> {
  const { control } = o;
  const publicOrigin = o.publicUrlSet ? new URL(o.publicUrl).origin : undefined;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, parseForm(String(body)));
  });
  app.addHook('onSend', async (_req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) void reply.header(k, v);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'POST' && !sameOrigin(req, publicOrigin)) {
      return sendPage(reply, 403, messagePage('Refused', 'The form was sent from another site.'));
    }
    if (req.routeOptions.config.consolePublic) return;
    const token = cookieOf(req, SESSION_COOKIE);
    const actor = token ? await control.tokens.verify(token).catch(() => undefined) : undefined;
    if (!token || !actor) {
      if (req.headers.accept === 'text/event-stream') return reply.code(401).type('text/plain').send('Signed out.');
      return reply.redirect('/console/sign-in', 303);
    }
    // The timeline names the console as the way a change came ("user alice via console"); tenancy never reads it.
    req.console = { actor: { ...actor, via: 'console' }, token, csrf: csrfOf(token) };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = (req.body ?? {}) as FormBody;
      if (!csrfMatches(req.console, body[CSRF_FIELD] ?? req.headers[CSRF_HEADER])) {
        return sendPage(reply, 403, messagePage('Refused', 'The form was not sent from this console session. Reload the page and try again.', req.console));
      }
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof DomainError) {
      const status = HTTP_STATUS[err.kind];
      const title = err.kind === 'not_found' ? 'Not found' : 'Refused';
      return sendPage(reply, status, messagePage(title, err.message, req.console));
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'console request failed');
    const message = status >= 500 ? 'Something went wrong on the server; the error is in its log.' : `The request could not be read: ${err.message}`;
    return sendPage(reply, status, messagePage(status >= 500 ? 'Error' : 'Bad request', message, req.console));
  });
  app.setNotFoundHandler((_req, reply) => sendPage(reply, 404, messagePage('Not found', 'There is no such page in the console.')));

  app.get('/assets/:name', { config: { consolePublic: true }, schema: { ...HTML_ROUTE, params: Type.Object({ name: Type.String() }) } }, async (req, reply) => {
    const a = asset((req.params as { name: string }).name);
    if (!a) return sendPage(reply, 404, messagePage('Not found', 'There is no such file.'));
    return reply.type(a.type).header('cache-control', 'public, max-age=3600').send(a.body);
  });
  app.get('/', { schema: HTML_ROUTE }, async (_req, reply) => reply.redirect('/console/gateways', 303));

  const streams = new StatusStreams(control);
  app.addHook('preClose', async () => streams.closeAll());
  signInRoutes(app, o);
  gatewayRoutes(app, o, streams);
  connectionRoutes(app, o);
  networkRoutes(app, o);
  policyRoutes(app, o);
  timelineRoutes(app, o);
}
