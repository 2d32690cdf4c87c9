import type { ConnectionView, ControlPlane } from '../../control/index.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import type { Actor } from '../../domain/tenancy.js';
import { connectionView } from './connection-mapper.js';
import type { ConnectionWire } from './connection-schema.js';
import { HUAWEI } from './huawei-deps.js';
import { missingAsUndefined, notFoundError } from './huawei-errors.js';

/** A connection of the addressed project, not being deleted (Huawei polls until 404). */
export async function loadConnection(cp: ControlPlane, actor: Actor, project: string, id: string): Promise<ConnectionView> {
  const v = await cp.connections.find(actor, id, { extras: HUAWEI, live: true }).catch(missingAsUndefined);
  if (!v || v.connection.accountId !== project) throw notFoundError();
  return v;
}

/** Policy reads of one request, each policy read once (a list's connections mostly share a few). */
export function policyReader(cp: ControlPlane, actor: Actor) {
  const ike = new Map<string, Promise<IkePolicy>>();
  const ipsec = new Map<string, Promise<IpsecPolicy>>();
  const once = <P>(m: Map<string, Promise<P>>, id: string, read: () => Promise<P>): Promise<P> => {
    let p = m.get(id);
    if (!p) m.set(id, (p = read()));
    return p;
  };
  return {
    ike: (id: string) => once(ike, id, () => cp.ikePolicies.record(actor, id)),
    ipsec: (id: string) => once(ipsec, id, () => cp.ipsecPolicies.record(actor, id)),
  };
}

/** The wire view with the connection's policies (read with the caller's rights). */
export async function render(cp: ControlPlane, actor: Actor, v: ConnectionView, policies = policyReader(cp, actor)): Promise<ConnectionWire> {
  const c = v.connection;
  const ike = c.ikePolicyId ? await policies.ike(c.ikePolicyId) : undefined;
  const ipsec = c.ipsecPolicyId ? await policies.ipsec(c.ipsecPolicyId) : undefined;
  const monitor = v.extras?.['monitorId'];
  return connectionView(v, ike, ipsec, typeof monitor === 'string' ? monitor : undefined);
}
