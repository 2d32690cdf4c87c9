import type { FastifyRequest } from 'fastify';
import type { TokenService } from '../../control/index.js';
import type { Account } from '../../domain/tenancy.js';
import { CloudcaError, notFound } from './cloudca-errors.js';

/** `MC-Api-Key: <key>`: the account's API key itself on every request (the key IBM's token endpoint exchanges). */
export async function accountOfRequest(req: FastifyRequest, tokens: TokenService): Promise<Account> {
  const raw = req.headers['mc-api-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key.trim().length === 0) {
    throw new CloudcaError(403, 4030, 'The request needs an MC-Api-Key header with your API key.', { header: 'MC-Api-Key' });
  }
  const account = key.length <= 512 ? await tokens.accountOfApiKey(key.trim()) : undefined;
  if (!account) throw new CloudcaError(403, 4030, 'The MC-Api-Key is not a valid API key.', { header: 'MC-Api-Key' });
  return account;
}

/**
 * The path's service code must be one this server serves, and its environment the key's own account
 * (by name): another account's environment answers exactly as a missing one.
 */
export function checkEnvironment(params: unknown, account: Account, serviceCodes: readonly string[]): void {
  const p = (params ?? {}) as { service_code?: string; environment_name?: string };
  if (p.service_code === undefined || p.environment_name === undefined) return;
  if (!serviceCodes.includes(p.service_code)) {
    throw notFound(`There is no service '${p.service_code.slice(0, 64)}'; this server serves ${serviceCodes.join(', ')}.`, { type: 'services' });
  }
  if (p.environment_name !== account.name) {
    throw notFound(`There is no environment '${p.environment_name.slice(0, 64)}' in service '${p.service_code}'.`, { type: 'environments' });
  }
}
