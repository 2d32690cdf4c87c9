/**
 * The formats a connection's peer configuration is rendered in (`GET …/peer_config?format=`): the API
 * offers them, the data plane renders them. `swanctl` and `libreswan` are proven against a running
 * peer in the lab tests; the vendor formats are checked against their vendors' documented syntax.
 */
export const PEER_CONFIG_FORMATS = ['swanctl', 'libreswan', 'cisco-ios', 'juniper-srx', 'fortigate', 'paloalto', 'pfsense'] as const;
export type PeerConfigFormat = (typeof PEER_CONFIG_FORMATS)[number];
export const DEFAULT_PEER_CONFIG_FORMAT: PeerConfigFormat = 'swanctl';

/** The file name extension of each format (the CLI and the console name downloaded files with it). */
export const PEER_CONFIG_FILE_EXTENSIONS: Readonly<Record<PeerConfigFormat, string>> = {
  swanctl: 'conf',
  libreswan: 'conf',
  'cisco-ios': 'txt',
  'juniper-srx': 'txt',
  fortigate: 'txt',
  paloalto: 'txt',
  pfsense: 'xml',
};
