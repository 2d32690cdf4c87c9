import type { FastifyInstance } from 'fastify';
import { FORM_ROUTE, HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type FormBody, type FormErrors, fieldError, generalErrors, input, NO_ERRORS, text } from './console-form.js';
import { page } from './console-layout.js';
import { clearSessionCookie, setSessionCookie } from './console-session.js';
import { html } from './html-template.js';

function signInPage(errors: FormErrors): string {
  return page(
    'Sign in',
    html`<p>Sign in with an API key of your account (the admin's is in <code>var/admin-api-key</code>; <code>causeway account create</code> prints others).</p>
      ${generalErrors(errors)}
      <form method="post" action="/console/sign-in" class="card">
        ${input('API key', 'apikey', '', errors, { type: 'password', autocomplete: 'off' })}
        <button type="submit">Sign in</button>
      </form>`,
  );
}

/** Sign in (an API key exchanged for a token through control) and sign out. */
export function signInRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  app.get('/sign-in', { config: { consolePublic: true }, schema: HTML_ROUTE }, async (_req, reply) => sendPage(reply, 200, signInPage(NO_ERRORS)));

  app.post('/sign-in', { config: { consolePublic: true }, schema: FORM_ROUTE }, async (req, reply) => {
    const key = text(req.body as FormBody, 'apikey');
    if (!key) return sendPage(reply, 400, signInPage(fieldError('apikey', 'Enter an API key.')));
    const issued = await o.control.tokens.issue(key);
    if (!issued) return sendPage(reply, 401, signInPage(fieldError('apikey', 'This API key is not valid. Check it and try again.')));
    setSessionCookie(req, reply, o.publicUrl, issued.accessToken, issued.expiresIn);
    return reply.redirect('/console/gateways', 303);
  });

  app.post('/sign-out', { schema: FORM_ROUTE }, async (req, reply) => {
    clearSessionCookie(req, reply, o.publicUrl);
    return reply.redirect('/console/sign-in', 303);
  });
}
