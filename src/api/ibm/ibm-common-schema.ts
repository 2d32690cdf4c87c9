import { Type } from 'typebox';
import { NAME_MAX, NAME_PATTERN } from './ibm-rules.js';

export const Name = Type.String({
  minLength: 1,
  maxLength: NAME_MAX,
  pattern: NAME_PATTERN,
  description: 'Lower-case letters, digits and hyphens; 1-63 characters.',
});

export const ResourceGroupRef = Type.Object({ href: Type.String(), id: Type.String(), name: Type.String() });
export const ResourceGroupIdentity = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const ByIdOrHref = Type.Object(
  { id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })), href: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })) },
  { additionalProperties: false, description: 'A reference by id or by href.' },
);
export const ByIdCrnOrHref = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    crn: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    href: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const ReasonSchema = Type.Object({ code: Type.String(), message: Type.String(), more_info: Type.Optional(Type.String()) });

export const ConnectionRefSchema = Type.Object({
  href: Type.String(),
  id: Type.String(),
  name: Type.String(),
  resource_type: Type.Literal('vpn_gateway_connection'),
});

export const IdParams = Type.Object({ id: Type.String() });

export const VersionQuery = Type.Object({
  version: Type.Optional(Type.String({ description: 'API version date, YYYY-MM-DD (required).' })),
  generation: Type.Optional(Type.Integer({ description: 'Must be 2.' })),
});

/** Responses with no body (204) and 202 accepted. */
export const NoContent = Type.Unsafe<undefined>({ description: 'No content.' });
