import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from '../../control/control-deps.js';
import type { TokenService } from '../../control/token-service.js';

export interface KeystoneDeps {
  readonly control: ControlDeps;
  readonly tokens: TokenService;
  /** The externally visible base URL: the catalog's endpoints point here. */
  readonly publicUrl: string;
}

/** Keystone v3 subset: /identity (discovery) and /identity/v3/... (A17). Registered with prefix /identity. */
export async function keystonePlugin(app: FastifyInstance, deps: KeystoneDeps): Promise<void> {
  void app;
  void deps;
}
