import { Type } from 'typebox';

/**
 * The wire shapes of the read side (projects, users, domains, the catalog), field for field as
 * keystone-views.ts builds them: responses are serialized through these, so a field missing here
 * would be dropped.
 */
const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const SelfLink = Type.Object({ self: Str });
/** Keystone's `options`: always `{}` here, open as in Keystone. */
const Options = Type.Object({}, { additionalProperties: true });

/** `links` of a collection: Causeway does not page, so previous and next are null. */
export const CollectionLinks = Type.Object({ self: Str, previous: NullableStr, next: NullableStr });

/** A domain named in a token: `{"id": "default", "name": "Default"}`. */
export const DomainRefSchema = Type.Object({ id: Str, name: Str });

export const ProjectSchema = Type.Object(
  {
    id: Type.String({ description: 'The account id, 32 hex digits.' }),
    name: Type.String({ description: 'The account name.' }),
    domain_id: Type.String({ description: 'Always default.' }),
    description: Str,
    enabled: Type.Boolean(),
    parent_id: Str,
    is_domain: Type.Boolean(),
    tags: Type.Array(Str),
    options: Options,
    links: SelfLink,
  },
  { description: 'A project: a Causeway account.' },
);

export const UserSchema = Type.Object({
  id: Type.String({ description: '32 hex digits.' }),
  name: Str,
  domain_id: Type.String({ description: 'Always default.' }),
  default_project_id: Type.String({ description: "The user's account." }),
  enabled: Type.Boolean(),
  password_expires_at: NullableStr,
  options: Options,
  links: SelfLink,
});

export const DomainSchema = Type.Object(
  {
    id: Str,
    name: Str,
    description: Str,
    enabled: Type.Boolean(),
    tags: Type.Array(Str),
    options: Options,
    links: SelfLink,
  },
  { description: 'The one domain, Default.' },
);

const EndpointSchema = Type.Object({
  id: Str,
  interface: Type.Union([Type.Literal('public'), Type.Literal('internal'), Type.Literal('admin')]),
  region: Str,
  region_id: Str,
  url: Str,
});

/** `network` (the Neutron root; clients append /v2.0) and `identity`, each in RegionOne with three interfaces. */
export const CatalogSchema = Type.Array(Type.Object({ type: Str, name: Str, id: Str, endpoints: Type.Array(EndpointSchema) }));

export const ProjectList = Type.Object({ projects: Type.Array(ProjectSchema), links: CollectionLinks });
export const ProjectOne = Type.Object({ project: ProjectSchema });
export const UserList = Type.Object({ users: Type.Array(UserSchema), links: CollectionLinks });
export const UserOne = Type.Object({ user: UserSchema });
export const DomainList = Type.Object({ domains: Type.Array(DomainSchema), links: CollectionLinks });
export const DomainOne = Type.Object({ domain: DomainSchema });
export const CatalogDocument = Type.Object({ catalog: CatalogSchema, links: CollectionLinks });

export const IdParams = Type.Object({ id: Type.String() });

/** The filters OSC and tempest send; other query parameters are ignored, as Keystone ignores unknown filters. */
export const ListQuery = Type.Object({
  name: Type.Optional(Type.String({ description: 'Exact name.' })),
  domain_id: Type.Optional(Type.String({ description: 'Only default matches anything.' })),
});
export const ProjectListQuery = Type.Object({
  ...ListQuery.properties,
  enabled: Type.Optional(Type.String({ description: 'false lists nothing: every project is enabled.' })),
});
export const NameQuery = Type.Object({ name: Type.Optional(Type.String({ description: 'Exact name.' })) });

/**
 * The caller's token. Not required by the schema: without one the route answers Keystone's own 401
 * (`Authorization: Bearer` is accepted as well).
 */
export const AuthTokenHeaders = Type.Object({
  'x-auth-token': Type.Optional(Type.String({ description: "The caller's token (or Authorization: Bearer)." })),
});
