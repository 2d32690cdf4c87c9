import type { FastifyInstance } from 'fastify';
import {
  CIPHERS,
  type Cipher,
  DH_GROUP_NUMBERS,
  type DhGroup,
  INTEGRITY_ALGORITHMS,
  type Integrity,
  isCipher,
  isDhGroup,
  isIntegrity,
  type PfsGroup,
} from '../domain/crypto-catalogue.js';
import { DEFAULT_LIFETIME_SECONDS } from '../domain/policy.js';
import { FORM_ROUTE, HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type Choice, type FormBody, type FormErrors, fieldError, formErrors, generalErrors, input, NO_ERRORS, select, text } from './console-form.js';
import { csrfField, page } from './console-layout.js';
import type { ConsoleSession } from './console-session.js';
import { html } from './html-template.js';

const ALL = { limit: 1000, sort: 'name', desc: false } as const;
type Kind = 'ike' | 'ipsec';
const TITLE: Record<Kind, string> = { ike: 'IKE policy', ipsec: 'IPsec policy' };
/** Lifetimes offered first: the product's defaults. */
const LIFETIME: Record<Kind, string> = { ike: String(DEFAULT_LIFETIME_SECONDS.ike), ipsec: String(DEFAULT_LIFETIME_SECONDS.ipsec) };

const choices = (list: readonly (string | number)[]): Choice[] => list.map((v) => ({ value: String(v), label: String(v) }));
const GROUPS = DH_GROUP_NUMBERS.map((g) => ({ value: String(g), label: `group ${g}` }));
const POLICY_FIELDS = {
  name: 'name',
  ikeVersion: 'ike_version',
  encryption: 'encryption',
  integrity: 'integrity',
  dhGroups: 'dh_group',
  pfs: 'pfs',
  lifetimeSeconds: 'lifetime',
} as const;

/** The selects hold the catalogue's values; anything else (a hand-made request) is refused next to its field. */
function checkChoices(kind: Kind, body: FormBody): FormErrors | undefined {
  const group = (v: string) => /^\d{1,2}$/.test(v) && isDhGroup(Number(v));
  if (!isCipher(text(body, 'encryption'))) return fieldError('encryption', 'Choose an encryption algorithm from the list.');
  const integrity = text(body, 'integrity');
  if (!isIntegrity(integrity) && !(kind === 'ipsec' && integrity === 'none')) return fieldError('integrity', 'Choose an integrity algorithm from the list.');
  if (kind === 'ike' && !['1', '2'].includes(text(body, 'ike_version'))) return fieldError('ike_version', 'Choose IKE version 1 or 2.');
  if (kind === 'ike' && !group(text(body, 'dh_group'))) return fieldError('dh_group', 'Choose a Diffie-Hellman group from the list.');
  if (kind === 'ipsec' && text(body, 'pfs') !== 'none' && !group(text(body, 'pfs'))) return fieldError('pfs', 'Choose a PFS group from the list, or none.');
  return undefined;
}

async function listPage(o: ConsoleOptions, s: ConsoleSession): Promise<string> {
  const [ike, ipsec] = await Promise.all([o.control.ikePolicies.list(s.actor, ALL), o.control.ipsecPolicies.list(s.actor, ALL)]);
  const used = (n: number) => (n === 1 ? '1 connection' : `${n} connections`);
  return page(
    'Policies',
    html`<section class="card" aria-labelledby="ike">
        <h2 id="ike">IKE policies</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Algorithms</th>
              <th scope="col">Lifetime</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            ${ike.items.map((v) => {
              const p = v.policy;
              return html`<tr>
                <td>${p.name}</td>
                <td>IKEv${p.ikeVersion}</td>
                <td>${p.encryption.join(' ')} / ${p.integrity.join(' ')} / DH ${p.dhGroups.join(' ')}</td>
                <td>${p.lifetimeSeconds} s</td>
                <td>${used(v.connections.length)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
        <p><a href="/console/ike-policies/new">Create an IKE policy</a></p>
      </section>
      <section class="card" aria-labelledby="ipsec">
        <h2 id="ipsec">IPsec policies</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Algorithms</th>
              <th scope="col">PFS</th>
              <th scope="col">Lifetime</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            ${ipsec.items.map((v) => {
              const p = v.policy;
              return html`<tr>
                <td>${p.name}</td>
                <td>${p.encryption.join(' ')} / ${p.integrity.join(' ') || 'none'}</td>
                <td>${p.pfs.join(' ')}</td>
                <td>${p.lifetimeSeconds} s</td>
                <td>${used(v.connections.length)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
        <p><a href="/console/ipsec-policies/new">Create an IPsec policy</a></p>
      </section>`,
    s,
  );
}

function formPage(kind: Kind, s: ConsoleSession, body: FormBody, errors: FormErrors): string {
  const v = (name: string, dflt: string) => text(body, name) || dflt;
  const fields =
    kind === 'ike'
      ? html`${select('IKE version', 'ike_version', choices([2, 1]), v('ike_version', '2'), errors)}
        ${select('Encryption', 'encryption', choices(CIPHERS), v('encryption', 'aes256'), errors)}
        ${select('Integrity', 'integrity', choices(INTEGRITY_ALGORITHMS), v('integrity', 'sha256'), errors)}
        ${select('Diffie-Hellman group', 'dh_group', GROUPS, v('dh_group', '14'), errors)}`
      : html`${select('Encryption', 'encryption', choices(CIPHERS), v('encryption', 'aes256'), errors)}
        ${select('Integrity', 'integrity', [{ value: 'none', label: 'none (with an AEAD cipher such as aes256gcm16)' }, ...choices(INTEGRITY_ALGORITHMS)], v('integrity', 'sha256'), errors)}
        ${select('Perfect forward secrecy', 'pfs', [{ value: 'none', label: 'none' }, ...GROUPS], v('pfs', '14'), errors)}`;
  return page(
    `New ${TITLE[kind]}`,
    html`<form method="post" action="/console/${kind}-policies" class="card" novalidate>
      ${csrfField(s)}${generalErrors(errors)} ${input('Name', 'name', text(body, 'name'), errors, { hint: 'Optional; a name is made up when empty.' })}
      ${fields} ${input('Key lifetime (seconds)', 'lifetime', v('lifetime', LIFETIME[kind]), errors, { type: 'text', hint: 'Whole seconds.' })}
      <button type="submit">Create the ${TITLE[kind]}</button>
    </form>`,
    s,
  );
}

/** /console/policies, and forms for new IKE and IPsec policies. */
export function policyRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  app.get('/policies', { schema: HTML_ROUTE }, async (req, reply) => sendPage(reply, 200, await listPage(o, req.console!)));
  for (const kind of ['ike', 'ipsec'] as const) {
    app.get(`/${kind}-policies/new`, { schema: HTML_ROUTE }, async (req, reply) => sendPage(reply, 200, formPage(kind, req.console!, {}, NO_ERRORS)));
    app.post(`/${kind}-policies`, { schema: FORM_ROUTE }, async (req, reply) => {
      const s = req.console!;
      const body = req.body as FormBody;
      const refused = checkChoices(kind, body);
      if (refused) return sendPage(reply, 400, formPage(kind, s, body, refused));
      const lifetime = text(body, 'lifetime');
      if (!/^\d{1,10}$/.test(lifetime))
        return sendPage(reply, 400, formPage(kind, s, body, fieldError('lifetime', 'Enter the key lifetime in whole seconds.')));
      const name = text(body, 'name');
      const common = { ...(name ? { name } : {}), encryption: [text(body, 'encryption') as Cipher], lifetimeSeconds: Number(lifetime) };
      const integrity = text(body, 'integrity');
      try {
        if (kind === 'ike') {
          await o.control.ikePolicies.create(s.actor, {
            ...common,
            ikeVersion: text(body, 'ike_version') === '1' ? 1 : 2,
            integrity: [integrity as Integrity],
            dhGroups: [Number(text(body, 'dh_group')) as DhGroup],
          });
        } else {
          const pfs = text(body, 'pfs');
          await o.control.ipsecPolicies.create(s.actor, {
            ...common,
            integrity: integrity === 'none' ? [] : [integrity as Integrity],
            pfs: [pfs === 'none' ? 'none' : (Number(pfs) as PfsGroup)],
          });
        }
        return reply.redirect('/console/policies', 303);
      } catch (err) {
        return sendPage(reply, 400, formPage(kind, s, body, formErrors(err, POLICY_FIELDS)));
      }
    });
  }
}
