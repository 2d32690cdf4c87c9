/* eslint-disable @typescript-eslint/no-explicit-any -- Neutron answers are loose JSON in tests */
/** A project's network, subnet and router with an external gateway and the subnet attached, as tempest's fixtures make them. */
export async function neutronFixture(
  call: (method: string, url: string, body?: unknown) => Promise<{ statusCode: number; json(): any }>,
  cidr: string,
  tag: string,
) {
  const networks = (await call('GET', '/networks?router:external=true')).json().networks as { id: string; 'router:external': boolean }[];
  const pub = networks.find((x) => x['router:external'])!;
  const net = (await call('POST', '/networks', { network: { name: `net-${tag}` } })).json().network;
  const sub = (await call('POST', '/subnets', { subnet: { network_id: net.id, cidr, ip_version: 4, name: `sub-${tag}` } })).json().subnet;
  const router = (await call('POST', '/routers', { router: { name: `r-${tag}`, admin_state_up: false, external_gateway_info: { network_id: pub.id } } })).json()
    .router;
  const add = await call('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
  if (add.statusCode !== 200) throw new Error(`add_router_interface: ${add.statusCode}`);
  return { net, sub, router, pub };
}
