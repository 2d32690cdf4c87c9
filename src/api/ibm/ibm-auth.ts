import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/tenancy.js';
import type { TokenService } from '../../control/index.js';
import { IbmHttpError } from './ibm-errors.js';

/** `Authorization: Bearer <token>` (a bare token is accepted too, as `ibmcloud iam oauth-tokens` output is pasted both ways). */
export async function authenticate(request: FastifyRequest, tokens: TokenService): Promise<Actor> {
  const header = request.headers.authorization;
  if (!header) {
    throw new IbmHttpError(401, {
      code: 'not_authorized',
      message: 'The request needs an Authorization: Bearer <token> header; get a token from POST /identity/token.',
      target: { type: 'header', name: 'Authorization' },
    });
  }
  const m = /^\s*(?:Bearer\s+)?([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(header);
  if (!m) {
    throw new IbmHttpError(401, {
      code: 'not_authorized',
      message: 'The Authorization header must be Bearer <access token>.',
      target: { type: 'header', name: 'Authorization' },
    });
  }
  try {
    return await tokens.verify(m[1]!);
  } catch (e) {
    throw new IbmHttpError(401, {
      code: 'not_authorized',
      message: e instanceof Error ? e.message : 'The token is not valid.',
      target: { type: 'header', name: 'Authorization' },
    });
  }
}
