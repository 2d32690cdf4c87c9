import { createHash } from 'node:crypto';
import type { TokenClaims, User } from '../../control/index.js';
import { toHex32 } from '../../domain/ids.js';
import type { Account } from '../../domain/tenancy.js';

/** The one domain: every user and project lives in `Default`. */
export const DOMAIN = { id: 'default', name: 'Default' } as const;
export const REGION = 'RegionOne';
export const INTERFACES = ['public', 'internal', 'admin'] as const;

/** Stable 32-hex ids for things Keystone numbers but Causeway does not store (roles, services, endpoints). */
const stableId = (text: string): string => createHash('sha256').update(`causeway-keystone:${text}`).digest('hex').slice(0, 32);
const role = (name: string) => ({ id: stableId(`role:${name}`), name });
/** The admin role implies member, as in a default Keystone (tempest reads `roles`). */
export const roleViews = (isAdmin: boolean) => (isAdmin ? [role('admin'), role('member')] : [role('member')]);

/** Keystone's timestamp: `%Y-%m-%dT%H:%M:%S.%fZ` (tempest parses exactly this). */
export const keystoneTime = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The version document of /identity/v3; keystoneauth posts to its self link + `/auth/tokens`. */
export function versionView(publicUrl: string) {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${publicUrl}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

/** `network` is the Neutron root (clients append /v2.0 themselves); `identity` serves OSC's --project lookups. */
export function catalogView(publicUrl: string) {
  const service = (type: string, name: string, url: string) => ({
    type,
    name,
    id: stableId(`${publicUrl}|service:${type}`),
    endpoints: INTERFACES.map((iface) => ({ id: stableId(`${publicUrl}|${type}|${iface}`), interface: iface, region: REGION, region_id: REGION, url })),
  });
  return [service('network', 'neutron', publicUrl), service('identity', 'keystone', `${publicUrl}/identity`)];
}

export function projectView(publicUrl: string, a: Account) {
  const id = toHex32(a.id);
  return {
    id,
    name: a.name,
    domain_id: DOMAIN.id,
    description: '',
    enabled: true,
    parent_id: DOMAIN.id,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${publicUrl}/identity/v3/projects/${id}` },
  };
}

export function userView(publicUrl: string, u: User) {
  const id = toHex32(u.id);
  return {
    id,
    name: u.name,
    domain_id: DOMAIN.id,
    default_project_id: toHex32(u.accountId),
    enabled: true,
    password_expires_at: null,
    options: {},
    links: { self: `${publicUrl}/identity/v3/users/${id}` },
  };
}

export function domainView(publicUrl: string) {
  return {
    ...DOMAIN,
    description: 'The default domain',
    enabled: true,
    tags: [],
    options: {},
    links: { self: `${publicUrl}/identity/v3/domains/${DOMAIN.id}` },
  };
}

/** The body of a token response (POST and GET /v3/auth/tokens). */
export function tokenView(publicUrl: string, t: { claims: TokenClaims; user: User; project: Account }, withCatalog: boolean) {
  return {
    token: {
      methods: [...(t.claims.mth ?? ['password'])],
      user: { id: toHex32(t.user.id), name: t.user.name, domain: { ...DOMAIN }, password_expires_at: null },
      audit_ids: [...(t.claims.ati ?? [])],
      expires_at: keystoneTime(t.claims.exp),
      issued_at: keystoneTime(t.claims.iat),
      project: { id: toHex32(t.project.id), name: t.project.name, domain: { ...DOMAIN } },
      is_domain: false,
      roles: roleViews(t.user.isAdmin),
      ...(withCatalog ? { catalog: catalogView(publicUrl) } : {}),
    },
  };
}
