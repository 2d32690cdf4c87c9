import { columns, keyValues } from './output-format.js';

/** Tables of routing tables and routes, in ibmcloud's layout; they only read the API's JSON. */
type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === 'object' ? (v as J) : {});
const a = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const s = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
const names = (v: unknown): string =>
  a(v)
    .map((x) => s(x['name']) ?? s(x['id']))
    .join(', ') || '-';

/** A next hop as ibmcloud shows it: the address, or the VPN connection's name and id. */
const hop = (v: unknown): string | undefined => {
  const h = o(v);
  if (h['address']) return s(h['address']);
  return h['id'] ? `${s(h['name']) ?? ''} (${s(h['id'])}) ${s(h['resource_type']) ?? ''}`.trim() : undefined;
};

export function routingTableDetail(t: J): string {
  return keyValues([
    ['ID', s(t['id'])],
    ['Name', s(t['name'])],
    ['Default', s(t['is_default'])],
    ['Status', s(t['lifecycle_state'])],
    ['Subnets', names(t['subnets'])],
    ['Routes', names(t['routes'])],
    ['Created', s(t['created_at'])],
  ]);
}

export const routingTableList = (ts: J[]): string =>
  columns(
    ['ID', 'Name', 'Default', 'Status', 'Subnets'],
    ts.map((t) => [s(t['id']), s(t['name']), s(t['is_default']), s(t['lifecycle_state']), names(t['subnets'])]),
  );

export function routeDetail(r: J): string {
  return keyValues([
    ['ID', s(r['id'])],
    ['Name', s(r['name'])],
    ['Destination', s(r['destination'])],
    ['Action', s(r['action'])],
    ['Next hop', hop(r['next_hop'])],
    ['Priority', s(r['priority'])],
    ['Zone', s(o(r['zone'])['name'])],
    ['Origin', s(r['origin'])],
    ['Status', s(r['lifecycle_state'])],
    ['Created', s(r['created_at'])],
  ]);
}

export const routeList = (rs: J[]): string =>
  columns(
    ['ID', 'Name', 'Destination', 'Action', 'Next hop', 'Priority', 'Zone', 'Status'],
    rs.map((r) => [
      s(r['id']),
      s(r['name']),
      s(r['destination']),
      s(r['action']),
      hop(r['next_hop']),
      s(r['priority']),
      s(o(r['zone'])['name']),
      s(r['lifecycle_state']),
    ]),
  );
