import type { DesiredConnection } from '../../domain/desired-state.js';
import { DomainError } from '../../domain/errors.js';
import type { PeerConfigFormat } from '../../domain/peer-config-formats.js';
import { peerSwanctlConf } from '../strongswan/peer-config.js';
import { peerLibreswanConf } from './libreswan-peer-config.js';

/**
 * Every peer configuration format, by name (`GET …/peer_config?format=`). Each renderer is pure and
 * throws a DomainError (400) when its vendor cannot express one of the connection's algorithms.
 */
const RENDERERS: Readonly<Partial<Record<PeerConfigFormat, (d: DesiredConnection) => string>>> = {
  swanctl: peerSwanctlConf,
  libreswan: peerLibreswanConf,
};

export function renderPeerConfig(d: DesiredConnection, format: PeerConfigFormat): string {
  const render = RENDERERS[format];
  if (!render) throw new DomainError('invalid_value', `The format '${format}' is not rendered yet.`, { type: 'parameter', name: 'format', value: format });
  return render(d);
}
