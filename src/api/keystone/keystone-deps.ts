import type { FastifyRequest } from 'fastify';
import type { ControlPlane, Inspected, TokenService } from '../../control/index.js';
import { unauthorized } from './keystone-errors.js';

export interface KeystoneDeps {
  readonly control: ControlPlane;
  /** The externally visible base URL: the catalog's endpoints point here. */
  readonly publicUrl: string;
}

/** The caller: `X-Auth-Token` (Keystone) or `Authorization: Bearer` (native); any token we signed. */
export async function callerOf(req: FastifyRequest, tokens: TokenService): Promise<Inspected> {
  const header = req.headers['x-auth-token'];
  const token = typeof header === 'string' && header.length > 0 ? header.trim() : /^\s*Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  if (!token) throw unauthorized();
  try {
    return await tokens.inspect(token);
  } catch {
    throw unauthorized();
  }
}
