import type { ControlPlane } from '../../control/index.js';
import type { Account } from '../../domain/tenancy.js';

/** What the cloud.ca dialect reads: the control plane and the service codes its paths accept (a setting). */
export interface CloudcaDeps {
  readonly control: ControlPlane;
  readonly serviceCodes: readonly string[];
}

/** The dialect's per-request state: the account of the request's MC-Api-Key (its environment). */
export interface CloudcaRequestContext {
  readonly account: Account;
}

declare module 'fastify' {
  interface FastifyRequest {
    cloudca: CloudcaRequestContext;
  }
}
