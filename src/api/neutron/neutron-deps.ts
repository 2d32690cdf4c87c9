import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../control/index.js';
import type { Actor } from '../../domain/tenancy.js';

export interface NeutronDeps {
  readonly control: ControlPlane;
  /** The externally visible base URL (the catalog's `network` endpoint). */
  readonly publicUrl: string;
}

/** This dialect's key for its extras (description, MTU, endpoint groups, a vpnservice's router). */
export const NEUTRON = 'neutron';

/** The authenticated caller (the plugin's onRequest hook has run). */
export function actorOf(req: FastifyRequest): Actor {
  return req.actor;
}
