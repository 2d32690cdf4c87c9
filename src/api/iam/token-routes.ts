import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ControlPlane } from '../../control/index.js';
import { acceptJsonBodies, BodyError, parseJsonBody } from '../body-parsers.js';
import { failureLog } from '../failure-log.js';

export const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';

const TokenResponse = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Integer(),
  expiration: Type.Integer(),
  scope: Type.String(),
});
const IamError = Type.Object({
  errorCode: Type.String(),
  errorMessage: Type.String(),
  context: Type.Object({ requestId: Type.String() }),
});

/**
 * An IAM-compatible token endpoint, so IBM's SDK authenticators work with their URL pointed here:
 * form fields grant_type=urn:ibm:params:oauth:grant-type:apikey and apikey=… (JSON is accepted too).
 * Errors use IAM's own shape.
 */
const TokenRequest = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ description: `Must be ${'urn:ibm:params:oauth:grant-type:apikey'}.` })),
    apikey: Type.Optional(Type.String({ description: 'An API key of the account (causeway account create prints one).' })),
  },
  { description: 'Form fields (application/x-www-form-urlencoded) or the same as JSON.' },
);

export async function iamPlugin(app: FastifyInstance, opts: { control: ControlPlane }): Promise<void> {
  acceptJsonBodies(app, (text, contentType) => (contentType.includes('json') ? parseJsonBody(text) : Object.fromEntries(new URLSearchParams(text))));
  const fail = (reqId: string, code: string, message: string) => ({ errorCode: code, errorMessage: message, context: { requestId: reqId } });
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const unreadable = err instanceof BodyError || err.validation !== undefined || (err.statusCode !== undefined && err.statusCode < 500);
    if (!unreadable) {
      req.log.error(failureLog(err), 'token request failed');
      return reply.code(500).send(fail(req.id, 'BXNIM0001E', 'The token could not be issued: an internal error occurred.'));
    }
    return reply.code(400).send(fail(req.id, 'BXNIM0109E', `The request could not be read: ${err.message}`));
  });

  app.post(
    '/token',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Exchange an API key for an access token (IAM-compatible)',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: IamError, 500: IamError },
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const grant = body['grant_type'];
      const apikey = body['apikey'];
      if (grant !== APIKEY_GRANT) {
        return reply.code(400).send(fail(req.id, 'BXNIM0103E', `Unsupported grant_type; use ${APIKEY_GRANT}.`));
      }
      if (typeof apikey !== 'string' || apikey.length === 0) {
        return reply.code(400).send(fail(req.id, 'BXNIM0104E', 'The apikey form field is missing.'));
      }
      const t = await opts.control.tokens.issue(apikey);
      if (!t) return reply.code(400).send(fail(req.id, 'BXNIM0415E', 'Provided API key could not be found.'));
      return {
        access_token: t.accessToken,
        refresh_token: 'not_supported',
        token_type: 'Bearer',
        expires_in: t.expiresIn,
        expiration: t.expiration,
        scope: 'ibm openid',
      };
    },
  );
}
