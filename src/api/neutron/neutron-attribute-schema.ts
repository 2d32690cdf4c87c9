import { type TSchemaOptions, Type } from 'typebox';
import { INVALID_KEY, type Invalid } from './neutron-common-schema.js';
import { unsupportedReason } from './network-wire.js';

/**
 * Request attributes typed as Neutron's converters accept them (lenient: booleans as text, numbers as
 * text, null for "unset"), each with the message Neutron gives when the type is wrong. Values are
 * checked by the handlers (their messages win); a schema only refuses a wrong type. In a message,
 * `{value}` is the value as echoed (JSON, cut short) and `{text}` the value as plain text.
 */

const reason = (attr: string, why: string): string => `Invalid input for ${attr}. Reason: ${why}.`;

/** Options carrying the wrong-type answer for an attribute. */
export const invalid = (answer: Invalid, description?: string): TSchemaOptions => ({ [INVALID_KEY]: answer, ...(description ? { description } : {}) });
export const invalidInput = (attr: string, why: string, description?: string): TSchemaOptions => invalid(reason(attr, why), description);

/** A string; null means empty. */
export const NStr = (attr: string, description: string, max = 255) =>
  Type.Union([Type.String(), Type.Null()], invalidInput(attr, "'{value}' is not a valid string", `${description} At most ${max} characters; null = empty.`));

/** A UUID reference; null means none. */
export const NUuid = (attr: string, description: string) =>
  Type.Union([Type.String(), Type.Null()], invalidInput(attr, "'{value}' is not a valid UUID", `${description} A UUID.`));

/** Neutron's convert_to_boolean: a boolean, 0/1, or text (true/false, 1/0, yes/no, on/off, t/f, y/n; any case). */
export const NBool = (attr: string, description: string) =>
  Type.Union(
    [Type.Boolean(), Type.String(), Type.Integer()],
    invalidInput(attr, "'{value}' cannot be converted to boolean", `${description} A boolean (also "true"/"false", 1/0).`),
  );

/** One of Neutron's valid_values, case-insensitive. */
export const NChoice = (attr: string, values: readonly string[], description: string, shownAs = attr) =>
  Type.String(invalidInput(shownAs, '{value} is not in valid_values', `${description} One of: ${values.join(', ')}.`));

/** tenant_id / project_id: the owning project (32 hex digits); only an admin names another project. */
export const NOwner = (attr: 'tenant_id' | 'project_id') =>
  Type.Union(
    [Type.String(), Type.Null()],
    invalidInput(
      attr,
      "'{value}' is not a valid project id",
      'The owning project (32 hex digits or a UUID); only an admin may name another one. Equal to the other of tenant_id/project_id if both are given.',
    ),
  );

/** Options for an attribute Causeway accepts with its one supported value only (`accepted`, compared as JSON). */
export const fixed = (attr: string, accepted: readonly unknown[], description: string): TSchemaOptions =>
  invalidInput(attr, unsupportedReason('{value}', accepted), `${description} Supported: ${accepted.map((a) => JSON.stringify(a)).join(', ')}.`);

/** A fixed-value boolean (converted as Neutron converts booleans). */
export const NFixedBool = (attr: string, accepted: boolean, description: string) =>
  Type.Union([Type.Boolean(), Type.String(), Type.Integer()], fixed(attr, [accepted], description));

/** A list Causeway supports empty only (null = empty). */
export const NEmptyList = (attr: string, item: Parameters<typeof Type.Array>[0], description: string) =>
  Type.Union([Type.Array(item), Type.Null()], fixed(attr, [[]], description));

/** An attribute Causeway supports as null only. */
export const NNullOnly = (attr: string, description: string) => Type.Union([Type.String(), Type.Null()], fixed(attr, [null], description));

/** The owner attributes of a create. */
export const OWNER_ATTRS = { tenant_id: Type.Optional(NOwner('tenant_id')), project_id: Type.Optional(NOwner('project_id')) };

/** Neutron's `lifetime` dictionary (policies): units seconds, value an integer (as a number or text; echoed as sent). */
export const Lifetime = Type.Union(
  [
    Type.Object({
      units: Type.Optional(Type.String(invalidInput('lifetime', '{value} is not in valid_values', 'seconds (the only unit).'))),
      value: Type.Optional(
        Type.Union(
          [Type.Integer(), Type.String()],
          invalidInput('lifetime', "'{value}' is not an integer", 'Seconds, 60 or more (a number or numeric text; answers echo it as sent).'),
        ),
      ),
    }),
    Type.Null(),
  ],
  invalidInput('lifetime', "'{value}' is not a dictionary", 'The SA lifetime; a PUT may give only `value`. null = unchanged.'),
);
