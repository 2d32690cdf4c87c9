import type { FastifyInstance } from 'fastify';
import { FORM_ROUTE, HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type FormBody, type FormErrors, fieldError, formErrors, generalErrors, input, NO_ERRORS, text } from './console-form.js';
import { csrfField, page } from './console-layout.js';
import type { ConsoleSession } from './console-session.js';
import { html } from './html-template.js';

/** A subnet refused inside the transaction: rolls the VPC back too, and carries the form's messages out. */
class SubnetRefused extends Error {
  constructor(readonly form: FormErrors) {
    super('subnet refused');
  }
}

const NETWORK_FIELDS = { name: 'vpc_name', cidr: 'subnet_cidr', zone: 'subnet_cidr' } as const;

function newVpcPage(s: ConsoleSession, body: FormBody, errors: FormErrors): string {
  return page(
    'New VPC and subnet',
    html`<p>A gateway sits on a subnet of a VPC. This makes both.</p>
      <form method="post" action="/console/vpcs" class="card" novalidate>
        ${csrfField(s)}${generalErrors(errors)}
        ${input('VPC name', 'vpc_name', text(body, 'vpc_name'), errors, { hint: 'Optional; a name is made up when empty.' })}
        ${input('Subnet name', 'subnet_name', text(body, 'subnet_name'), errors, { hint: 'Optional.' })}
        ${input('Subnet CIDR', 'subnet_cidr', text(body, 'subnet_cidr'), errors, { hint: 'An IPv4 CIDR of /29 or larger, for example 10.240.0.0/24.' })}
        <button type="submit">Create the VPC and subnet</button>
      </form>`,
    s,
  );
}

/** A VPC with one subnet, made together (one transaction), for a gateway to be placed in. */
export function networkRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  app.get('/vpcs/new', { schema: HTML_ROUTE }, async (req, reply) => sendPage(reply, 200, newVpcPage(req.console!, {}, NO_ERRORS)));

  app.post('/vpcs', { schema: FORM_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const body = req.body as FormBody;
    const cidr = text(body, 'subnet_cidr');
    if (!cidr) return sendPage(reply, 400, newVpcPage(s, body, fieldError('subnet_cidr', 'Enter the subnet’s CIDR, for example 10.240.0.0/24.')));
    const vpcName = text(body, 'vpc_name');
    const subnetName = text(body, 'subnet_name');
    try {
      await o.control.atomically(async (cp) => {
        const vpc = await cp.vpcs.create(s.actor, vpcName ? { name: vpcName } : {});
        try {
          await cp.subnets.create(s.actor, { vpcId: vpc.vpc.id, cidr, ...(subnetName ? { name: subnetName } : {}) });
        } catch (err) {
          throw new SubnetRefused(formErrors(err, { ...NETWORK_FIELDS, name: 'subnet_name' }));
        }
      });
      return reply.redirect('/console/gateways/new', 303);
    } catch (err) {
      return sendPage(reply, 400, newVpcPage(s, body, err instanceof SubnetRefused ? err.form : formErrors(err, NETWORK_FIELDS)));
    }
  });
}
