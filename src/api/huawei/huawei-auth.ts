import type { FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../control/index.js';
import { DomainError, echo } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';
import './huawei-raw-body.js';
import { HUAWEI_ALGORITHM, HUAWEI_MAX_SKEW_MS, parseHuaweiAuthorization, parseSdkDate, sameSignature, signHuawei } from './huawei-signature.js';

const refuse = (message: string): DomainError => new DomainError('not_authorized', message);

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The caller of a Huawei request (fact sheet §B1, §B11): an IAM token in `X-Auth-Token` (from POST
 * /v3/auth/tokens or /identity/v3/auth/tokens), or an AK/SK signature (`Authorization: SDK-HMAC-SHA256
 * Access=…, SignedHeaders=…, Signature=…` with `X-Sdk-Date`, the SDKs' default). A signature's actor is
 * its key's user: that user's account, and admin when the user has the admin role. Anything else throws
 * not_authorized. Signed requests need `keepRawBody(app)` (huawei-raw-body.ts) and this call in a
 * `preValidation` hook (the body is read by then).
 */
export async function authenticateHuawei(request: FastifyRequest, control: ControlPlane): Promise<Actor> {
  const token = one(request.headers['x-auth-token'])?.trim();
  if (token) return control.tokens.verify(token); // throws not_authorized with the reason
  const authorization = one(request.headers.authorization);
  if (authorization === undefined || authorization.trim() === '') {
    throw refuse(
      `The request needs an X-Auth-Token header (a token from POST /v3/auth/tokens) or an AK/SK signature (Authorization: ${HUAWEI_ALGORITHM} … with X-Sdk-Date).`,
    );
  }
  return signer(request, authorization, control, Date.now());
}

async function signer(request: FastifyRequest, authorization: string, control: ControlPlane, now: number): Promise<Actor> {
  const auth = parseHuaweiAuthorization(authorization);
  if (!auth) {
    throw refuse(`The Authorization header must be '${HUAWEI_ALGORITHM} Access=<AK>, SignedHeaders=<names>, Signature=<64 hex digits>'.`);
  }
  if (request.headers['x-security-token'] !== undefined)
    throw refuse('Temporary credentials (X-Security-Token) are not supported: sign with a permanent access key.');
  const date = one(request.headers['x-sdk-date']);
  if (date === undefined) throw refuse('A signed request needs an X-Sdk-Date header (YYYYMMDDTHHmmssZ, UTC).');
  const at = parseSdkDate(date);
  if (at === undefined) throw refuse(`X-Sdk-Date '${echo(date)}' is not a date in the form YYYYMMDDTHHmmssZ (UTC).`);
  if (Math.abs(now - at) > HUAWEI_MAX_SKEW_MS) {
    throw refuse(`X-Sdk-Date '${date}' is more than ${HUAWEI_MAX_SKEW_MS / 60_000} minutes from the server's time (${new Date(now).toISOString()}).`);
  }
  if (!auth.signedHeaders.includes('x-sdk-date')) throw refuse('SignedHeaders must include x-sdk-date.');
  const absent = auth.signedHeaders.find((h) => !Object.hasOwn(request.headers, h) || request.headers[h] === undefined);
  if (absent !== undefined) throw refuse(`The signed header '${echo(absent)}' is not in the request.`);

  const owner = await control.accessKeys.secretFor(auth.access);
  if (!owner) throw refuse(`The access key '${echo(auth.access)}' is not known (see causeway user access-key list).`);

  const raw = request.huaweiRawBody;
  if (raw == null && hasBody(request))
    throw new Error('authenticateHuawei: keepRawBody(app) must be registered before a signed request with a body can be checked');
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  const expected = signHuawei(
    {
      method: request.method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: request.headers,
      signedHeaders: auth.signedHeaders,
      body: raw ?? undefined,
      date,
    },
    owner.secret,
  );
  if (!sameSignature(expected, auth.signature)) {
    throw refuse('The request signature does not match: sign the method, path, query, the signed headers and the exact body bytes with the secret key.');
  }
  return { accountId: owner.user.accountId, isAdmin: owner.user.isAdmin };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
