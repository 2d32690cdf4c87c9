import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { STATUS_REASONS } from '../domain/status-reasons.js';
import { textOf } from '../domain/text.js';

type Json = Record<string, unknown>;

const esc = (s: unknown): string => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function typeOf(s: Json | undefined): string {
  if (!s) return '';
  if (Array.isArray(s['anyOf'])) return (s['anyOf'] as Json[]).map((x) => (x['const'] !== undefined ? JSON.stringify(x['const']) : typeOf(x))).join(' | ');
  if (s['const'] !== undefined) return JSON.stringify(s['const']);
  if (s['enum']) return (s['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s['type'] === 'array') return `array of ${typeOf(s['items'] as Json)}`;
  const t = textOf(s['type'] ?? 'any');
  const range = [s['minimum'] !== undefined ? `≥ ${textOf(s['minimum'])}` : '', s['maximum'] !== undefined ? `≤ ${textOf(s['maximum'])}` : '']
    .filter(Boolean)
    .join(', ');
  return range ? `${t} (${range})` : t;
}

function fields(s: Json | undefined, prefix = '', depth = 0): string {
  if (!s || depth > 3) return '';
  const props = (s['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((s['required'] ?? []) as string[]);
  return Object.entries(props)
    .map(([k, v]) => {
      const name = `${prefix}${k}`;
      const row = `<tr><td><code>${esc(name)}</code>${required.has(k) ? ' <b>required</b>' : ''}</td><td>${esc(typeOf(v))}</td><td>${esc(v['description'] ?? '')}</td></tr>`;
      const inner =
        v['type'] === 'object'
          ? fields(v, `${name}.`, depth + 1)
          : v['type'] === 'array' && (v['items'] as Json)?.['type'] === 'object'
            ? fields(v['items'] as Json, `${name}[].`, depth + 1)
            : '';
      return row + inner;
    })
    .join('');
}

const PAGE = (title: string, body: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}h2{border-bottom:1px solid #ccc;margin-top:2em}
.op{margin:1.2em 0;padding:.6em 1em;border-left:4px solid #4a7}.m{font-weight:bold;display:inline-block;min-width:4.5em}table{border-collapse:collapse;margin:.4em 0}
td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}code{background:#f4f4f4;padding:0 3px}</style></head><body>${body}</body></html>`;

export interface DocsOptions {
  /** The rows of `/docs/errors` (code, HTTP status, meaning): the native dialect's codes, where its `more_info` points. */
  readonly errorCodes: readonly (readonly [code: string, status: number | string, message: string])[];
}

/** /openapi.json (generated from the route schemas) and /docs, a readable reference rendered from it. */
export async function docsRoutes(app: FastifyInstance, opts: DocsOptions): Promise<void> {
  const Html = { 200: Type.String({ description: 'text/html' }) };
  app.get('/openapi.json', { schema: { hide: true, response: { 200: Type.Unknown({ description: 'The OpenAPI 3.1 document.' }) } } }, async () =>
    app.swagger(),
  );

  app.get('/docs', { schema: { hide: true, response: Html } }, async (_req, reply) => {
    const doc = app.swagger() as unknown as { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Json>> };
    const byTag = new Map<string, string[]>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const tag = ((op['tags'] as string[] | undefined) ?? ['Other'])[0]!;
        const params = ((op['parameters'] ?? []) as Json[])
          .map(
            (p) =>
              `<tr><td><code>${esc(p['name'])}</code> (${esc(p['in'])})${p['required'] ? ' <b>required</b>' : ''}</td><td>${esc(typeOf(p['schema'] as Json))}</td><td>${esc((p['schema'] as Json)?.['description'] ?? p['description'] ?? '')}</td></tr>`,
          )
          .join('');
        const content = ((op['requestBody'] as Json | undefined)?.['content'] ?? {}) as Record<string, Json>;
        const bodySchema = Object.values(content)[0]?.['schema'] as Json | undefined;
        const codes = Object.keys(op['responses'] ?? {}).join(', ');
        const html = `<div class="op"><span class="m">${method.toUpperCase()}</span><code>${esc(path)}</code> — ${esc(op['summary'] ?? '')}
${params ? `<table><tr><th>parameter</th><th>type</th><th>notes</th></tr>${params}</table>` : ''}
${bodySchema ? `<table><tr><th>body field</th><th>type</th><th>notes</th></tr>${fields(bodySchema)}</table>` : ''}<div>Responses: ${esc(codes)}</div></div>`;
        byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
      }
    }
    const toc = [...byTag.keys()].map((t) => `<li><a href="#${esc(t)}">${esc(t)}</a></li>`).join('');
    const sections = [...byTag.entries()].map(([t, ops]) => `<h2 id="${esc(t)}">${esc(t)}</h2>${ops.join('')}`).join('');
    return reply.type('text/html').send(
      PAGE(
        doc.info.title,
        `<h1>${esc(doc.info.title)} ${esc(doc.info.version)}</h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Error codes: <a href="/docs/errors">/docs/errors</a>. Status reasons: <a href="/docs/status-reasons">/docs/status-reasons</a>.</p><ul>${toc}</ul>${sections}`,
      ),
    );
  });

  app.get('/docs/errors', { schema: { hide: true, response: Html } }, async (_req, reply) => {
    const rows = opts.errorCodes
      .map(([code, status, message]) => `<tr id="${esc(code)}"><td><code>${esc(code)}</code></td><td>${esc(status)}</td><td>${esc(message)}</td></tr>`)
      .join('');
    return reply.type('text/html').send(PAGE('Error codes', `<h1>Error codes</h1><table><tr><th>code</th><th>HTTP</th><th>meaning</th></tr>${rows}</table>`));
  });

  app.get('/docs/status-reasons', { schema: { hide: true, response: Html } }, async (_req, reply) => {
    const rows = Object.entries(STATUS_REASONS)
      .map(([code, m]) => `<tr id="${code}"><td><code>${code}</code></td><td>${esc(m)}</td></tr>`)
      .join('');
    return reply.type('text/html').send(PAGE('Status reasons', `<h1>Status reasons</h1><table><tr><th>code</th><th>meaning</th></tr>${rows}</table>`));
  });
}
