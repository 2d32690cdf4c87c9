import { Type } from 'typebox';
import { CatalogSchema, DomainRefSchema } from './identity-schema.js';

/**
 * POST /v3/auth/tokens, as Keystone's own schema (keystone/auth/schema.py) has it: open objects,
 * since Keystone ignores fields it does not know and clients send some (keystoneauth, OSC, tempest).
 * auth-request.ts keeps the precise checks and messages; this documents the request and backs them.
 */
const Ident = Type.String({ minLength: 1, maxLength: 1024 });
const DomainIdentity = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'default' })),
    name: Type.Optional(Type.String({ description: 'Default' })),
  },
  { description: 'Only the Default domain: {"id": "default"} or {"name": "Default"}.' },
);

const UserIdentity = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 1024, description: 'The user id (32 hex digits, or dashed).' })),
  name: Type.Optional(Type.String({ maxLength: 1024, description: 'The user name; then domain is required.' })),
  domain: Type.Optional(DomainIdentity),
  password: Type.String(),
});

const ProjectIdentity = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 1024, description: 'The account id (32 hex digits, or dashed).' })),
  name: Type.Optional(Type.String({ maxLength: 1024, description: 'The account name; then domain is required.' })),
  domain: Type.Optional(DomainIdentity),
});

const Scope = Type.Union(
  [
    Type.Object({
      project: Type.Optional(ProjectIdentity),
      domain: Type.Optional(Type.Unknown({ description: 'Refused (401): Causeway has project scopes only.' })),
      system: Type.Optional(Type.Unknown({ description: 'Refused (401).' })),
      'OS-TRUST:trust': Type.Optional(Type.Unknown({ description: 'Refused (401).' })),
    }),
    Type.Literal('unscoped'),
  ],
  { description: "A project by id, or by name in Default; absent or 'unscoped': the user's own project." },
);

export const AuthRequestSchema = Type.Object(
  {
    auth: Type.Object({
      identity: Type.Object({
        methods: Type.Array(Ident, { minItems: 1, description: 'password or token (one of them; another method answers 401).' }),
        password: Type.Optional(Type.Object({ user: UserIdentity })),
        token: Type.Optional(
          Type.Object({ id: Type.String({ minLength: 1, maxLength: 8192, description: 'A Keystone token: the new one keeps its user and expiry.' }) }),
        ),
      }),
      scope: Type.Optional(Scope),
    }),
  },
  { description: 'Unknown fields are ignored, as Keystone ignores them.' },
);

/** `?nocatalog` (present, any value): the token body leaves out the catalog. */
export const TokenQuery = Type.Object({
  nocatalog: Type.Optional(Type.String({ description: 'Present (any value): no catalog in the body.' })),
});

/** Validate and revoke: the caller's token and the token to look at; absent, the route answers Keystone's 401 / 400. */
export const SubjectHeaders = Type.Object({
  'x-auth-token': Type.Optional(Type.String({ description: "The caller's token (or Authorization: Bearer)." })),
  'x-subject-token': Type.Optional(Type.String({ description: 'The token to validate or revoke (required: 400 without it).' })),
});

const ProjectRef = Type.Object({ id: Type.String(), name: Type.String(), domain: DomainRefSchema });

/** A token body (POST 201, GET 200), field for field as tokenView builds it; the token itself is in X-Subject-Token. */
export const TokenSchema = Type.Object({
  token: Type.Object({
    methods: Type.Array(Type.String(), { description: 'password, or token then the methods of the token exchanged.' }),
    user: Type.Object({ id: Type.String(), name: Type.String(), domain: DomainRefSchema, password_expires_at: Type.Union([Type.String(), Type.Null()]) }),
    audit_ids: Type.Array(Type.String(), { description: "This token's, then the one it was exchanged from." }),
    expires_at: Type.String({ description: '%Y-%m-%dT%H:%M:%S.%fZ' }),
    issued_at: Type.String({ description: '%Y-%m-%dT%H:%M:%S.%fZ' }),
    project: ProjectRef,
    is_domain: Type.Boolean(),
    roles: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), { description: 'member; an admin has admin and member.' }),
    catalog: Type.Optional(CatalogSchema),
  }),
});

/** DELETE answers 204 with no body (type null: the OpenAPI document shows no content). */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'No content.' });
