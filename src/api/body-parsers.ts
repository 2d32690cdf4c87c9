import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

/** A body that is not JSON (or not UTF-8): each dialect renders it in its own envelope (a 400). */
export class BodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's text; bytes that are not UTF-8 are refused, never replaced by U+FFFD and stored. */
export function bodyText(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new BodyError('The request body is not valid UTF-8.');
  }
}

/** Parses a JSON body strictly (no prototype poisoning); an empty body is `undefined`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim().length === 0) return undefined;
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    throw new BodyError(`The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * JSON bodies under any content type (`application/json`, `application/merge-patch+json`, and the form
 * type curl sends for `-d` without a header, as the IBM documentation's examples do), as UTF-8 only.
 * `parse` may read the text otherwise (IAM's form fields).
 */
export function acceptJsonBodies(app: FastifyInstance, parse: (text: string, contentType: string) => unknown = (t) => parseJsonBody(t)): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parse(bodyText(body as Buffer), String(req.headers['content-type'] ?? '')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
