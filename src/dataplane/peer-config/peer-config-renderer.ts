import type { DesiredConnection } from '../../domain/desired-state.js';
import type { PeerConfigFormat } from '../../domain/peer-config-formats.js';
import { peerSwanctlConf } from '../strongswan/peer-config.js';
import { peerCiscoIosConf } from './cisco-ios-peer-config.js';
import { peerFortigateConf } from './fortigate-peer-config.js';
import { peerJuniperSrxConf } from './juniper-srx-peer-config.js';
import { peerLibreswanConf } from './libreswan-peer-config.js';
import { peerPaloaltoConf } from './paloalto-peer-config.js';
import { peerPfsenseConf } from './pfsense-peer-config.js';

/**
 * Every peer configuration format, by name (`GET …/peer_config?format=`). Each renderer is pure and
 * throws a DomainError (400) when its vendor cannot express one of the connection's algorithms.
 */
const RENDERERS: Readonly<Record<PeerConfigFormat, (d: DesiredConnection) => string>> = {
  swanctl: peerSwanctlConf,
  libreswan: peerLibreswanConf,
  'cisco-ios': peerCiscoIosConf,
  'juniper-srx': peerJuniperSrxConf,
  fortigate: peerFortigateConf,
  paloalto: peerPaloaltoConf,
  pfsense: peerPfsenseConf,
};

export function renderPeerConfig(d: DesiredConnection, format: PeerConfigFormat): string {
  return RENDERERS[format](d);
}
