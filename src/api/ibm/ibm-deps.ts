import type { ControlPlane } from '../../control/index.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import type { PeerConfigFormat } from '../../domain/peer-config-formats.js';
import type { IbmRefs } from './ibm-refs.js';

/** Renders the configuration a connection's peer needs; injected (the renderer lives in the data plane). */
export type PeerConfigRenderer = (d: DesiredConnection, format: PeerConfigFormat) => string;

/** What the IBM dialect reads: the control plane, href building, the peer configuration renderer. */
export interface IbmDeps {
  readonly control: ControlPlane;
  readonly refs: IbmRefs;
  readonly renderPeerConfig?: PeerConfigRenderer;
}

/** The IBM dialect's own per-request state: the `version` date its hook checked. */
export interface IbmRequestContext {
  readonly version: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    ibm: IbmRequestContext;
  }
}
