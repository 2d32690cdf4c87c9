import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../control/index.js';
import { parseId } from '../../domain/ids.js';
import type { Actor } from '../../domain/tenancy.js';
import { HuaweiError } from './huawei-errors.js';

export interface HuaweiDeps {
  readonly control: ControlPlane;
}

/** This dialect's key for its extras and its dialect-owned objects. */
export const HUAWEI = 'huawei';

/** The `{project_id}` of the path: the account it names, which must be the caller's (an admin may name any). */
export function projectOf(req: FastifyRequest): string {
  const raw = (req.params as { project_id?: string }).project_id;
  const id = parseId(raw);
  if (!id || (!req.actor.isAdmin && id !== req.actor.accountId)) throw new HuaweiError(404, 'VPN.0004', 'resource not found');
  return id;
}

/** The caller, once the plugin's hooks have checked its project. */
export function actorOf(req: FastifyRequest): Actor {
  return req.actor;
}

/** Huawei's time format: `yyyy-MM-ddTHH:mm:ss.SSSZ`, UTC. */
export const huaweiTime = (ms: number): string => new Date(ms).toISOString();

/** A list query for every row, oldest first (Huawei's gateway list and quotas have no pagination). */
export const ALL_ROWS = { limit: 1_000_000, sort: 'created_at', desc: false } as const;
