import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { DomainError } from '../domain/errors.js';

/** Parses a JSON body strictly (no prototype poisoning); an empty body is `undefined`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim().length === 0) return undefined;
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new DomainError('invalid_json', `The request body is not valid JSON: ${detail}`);
  }
}

/**
 * JSON bodies under any content type: `application/json`, `application/merge-patch+json`, and also
 * the form type curl sends for `-d` without a header, as the IBM documentation's examples do.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
