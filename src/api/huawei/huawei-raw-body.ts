import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body's exact bytes (AK/SK signatures hash them); null before `keepRawBody` has read it. */
    huaweiRawBody: Buffer | null;
  }
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Fastify's own error for an oversized body, so each dialect renders it as it renders the parser's. */
class BodyTooLarge extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor() {
    super('Request body is too large');
  }
}

/**
 * Keeps every request body's raw bytes on `request.huaweiRawBody`, for the AK/SK signature check, and
 * hands the same bytes on to whatever body parser the plugin registers (`acceptJsonBodies` included).
 * Call once in the plugin, before its routes: a `preParsing` hook, so the bytes are there by
 * `preValidation`, where `authenticateHuawei` must run (not `onRequest`: the body is not read yet).
 */
export function keepRawBody(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('huaweiRawBody')) app.decorateRequest('huaweiRawBody', null);
  app.addHook('preParsing', async (request, _reply, payload) => {
    const limit = request.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += b.length;
      if (size > limit) throw new BodyTooLarge();
      chunks.push(b);
    }
    const raw = Buffer.concat(chunks);
    request.huaweiRawBody = raw;
    return Readable.from([raw], { objectMode: false });
  });
}
