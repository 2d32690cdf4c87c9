import { toHex32 } from '../../domain/ids.js';

/** hrefs and CRNs. `publicUrl` comes from configuration, never from the Host header. */
export class IbmRefs {
  readonly base: string;

  constructor(
    readonly publicUrl: string,
    readonly region: string,
  ) {
    this.base = `${publicUrl}/v1`;
  }

  vpc = (id: string): string => `${this.base}/vpcs/${id}`;
  subnet = (id: string): string => `${this.base}/subnets/${id}`;
  reservedIp = (subnetId: string, id: string): string => `${this.base}/subnets/${subnetId}/reserved_ips/${id}`;
  gateway = (id: string): string => `${this.base}/vpn_gateways/${id}`;
  connection = (gatewayId: string, id: string): string => `${this.base}/vpn_gateways/${gatewayId}/connections/${id}`;
  ikePolicy = (id: string): string => `${this.base}/ike_policies/${id}`;
  ipsecPolicy = (id: string): string => `${this.base}/ipsec_policies/${id}`;
  routingTable = (vpcId: string, id: string): string => `${this.base}/vpcs/${vpcId}/routing_tables/${id}`;
  route = (vpcId: string, tableId: string, id: string): string => `${this.base}/vpcs/${vpcId}/routing_tables/${tableId}/routes/${id}`;
  zone = (name: string): string => `${this.base}/regions/${this.region}/zones/${name}`;
  resourceGroup = (id: string): string => `${this.publicUrl}/v2/resource_groups/${toHex32(id)}`;

  crn(accountId: string, type: 'vpn' | 'vpc' | 'subnet', id: string): string {
    return `crn:v1:causeway:private:is:${this.region}:a/${toHex32(accountId)}::${type}:${id}`;
  }

  group(g: { id: string; name: string }) {
    return { href: this.resourceGroup(g.id), id: toHex32(g.id), name: g.name };
  }

  time(ms: number): string {
    return new Date(ms).toISOString();
  }
}
