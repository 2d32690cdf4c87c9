import { CSRF_FIELD, type ConsoleSession } from './console-session.js';
import { html, type Html } from './html-template.js';

/** htmx reads its configuration here: no eval, no injected indicator styles, no scripts in swapped HTML (the CSP allows none). */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, historyCacheSize: 0 });

/** The hidden field every console form carries. */
export function csrfField(s: ConsoleSession): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${s.csrf}" />`;
}

/** A whole console page: skip link, navigation (when signed in), the main content. */
export function page(title: string, body: Html, session?: ConsoleSession): string {
  const nav = session
    ? html`<nav aria-label="Console">
        <a href="/console/gateways">Gateways</a>
        <a href="/console/gateways/new">New gateway</a>
        <a href="/console/policies">Policies</a>
        <form method="post" action="/console/sign-out" class="inline">${csrfField(session)}<button type="submit">Sign out</button></form>
      </nav>`
    : html``;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content="${HTMX_CONFIG}" />
        <title>${title} · Causeway console</title>
        <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/htmx.min.js"></script>
        <script src="/console/assets/sse.min.js"></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header><span class="brand">Causeway</span>${nav}</header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.toString();
}

/** A page that only says what went wrong, with a way back. */
export function messagePage(title: string, message: string, session?: ConsoleSession): string {
  return page(
    title,
    html`<p role="alert">${message}</p>
      <p><a href="/console/gateways">Back to the gateways</a></p>`,
    session,
  );
}
