import type { ViciNamedSection } from '../dataplane/vici/index.js';

/**
 * The IKE_SAs to close when both ends initiated at once (a member came back while its peer kept
 * retrying): two ESTABLISHED IKE_SAs of one conn, each with its own copy of the tunnel's CHILD_SA,
 * and neither end removes one (INITIAL_CONTACT came in before either was established).
 *
 * The one kept is the one with the largest initiator SPI, then responder SPI: both ends see the same
 * SPIs, so two Causeway gateways close the same SA and never both (charon's `unique = replace` on
 * both ends can close one each, leaving none). A peer that closes none sees our DELETE.
 *
 * Only for conns that carry one CHILD per IKE_SA (route-based tunnels): there the kept SA has it too.
 */
export function duplicateIkeSas(sas: readonly ViciNamedSection[]): number[] {
  const byName = new Map<string, ViciNamedSection[]>();
  for (const sa of sas) {
    if (sa.value['state'] !== 'ESTABLISHED') continue;
    byName.set(sa.name, [...(byName.get(sa.name) ?? []), sa]);
  }
  const close: number[] = [];
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const key = (sa: ViciNamedSection): string => `${spi(sa, 'initiator-spi')}:${spi(sa, 'responder-spi')}`;
    const kept = list.reduce((a, b) => (key(b) > key(a) ? b : a));
    for (const sa of list) if (sa !== kept) close.push(Number(sa.value['uniqueid']));
  }
  return close.filter((id) => Number.isInteger(id) && id > 0);
}

/** An SPI as 16 lower-case hex digits, so that string order is numeric order. */
function spi(sa: ViciNamedSection, key: string): string {
  const v = sa.value[key];
  return (typeof v === 'string' ? v : '').toLowerCase().padStart(16, '0');
}
