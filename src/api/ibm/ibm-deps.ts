import type { ControlDeps } from '../../control/control-deps.js';
import type { ReadQueries } from '../../control/read-queries.js';
import type { TokenService } from '../../control/token-service.js';
import type { DesiredConnection } from '../../domain/desired-state.js';
import type { IbmRefs } from './ibm-refs.js';

/** Renders the configuration a connection's peer needs; injected (the renderer lives in the data plane). */
export type PeerConfigRenderer = (d: DesiredConnection, format: 'swanctl') => string;

/** What the IBM dialect reads: the control plane, its read side, token checks and href building. */
export interface IbmDeps {
  readonly control: ControlDeps;
  readonly queries: ReadQueries;
  readonly tokens: TokenService;
  readonly refs: IbmRefs;
  readonly renderPeerConfig?: PeerConfigRenderer;
}
