import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../control/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';

/** The caller of a Huawei request: for now an `X-Auth-Token` (a Keystone token from POST /identity/v3/auth/tokens). */
export async function authenticateHuawei(request: FastifyRequest, control: ControlPlane): Promise<Actor> {
  const token = request.headers['x-auth-token'];
  if (typeof token !== 'string' || token.length === 0) throw new DomainError('not_authorized', 'The request has no X-Auth-Token.');
  try {
    return await control.tokens.verify(token);
  } catch {
    throw new DomainError('not_authorized', 'The X-Auth-Token is not valid or has expired.');
  }
}
