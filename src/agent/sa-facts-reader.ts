import type { ViciNamedSection } from '../dataplane/vici/index.js';
import type { ChildSaFact, SaFacts } from '../domain/sa-facts.js';
import { textOf } from '../domain/text.js';

type Section = Record<string, unknown>;

const count = (v: unknown): number => {
  const n = Number(textOf(v));
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
};

function childFact(c: Section): ChildSaFact {
  const spiIn = textOf(c['spi-in']);
  const spiOut = textOf(c['spi-out']);
  return {
    uniqueId: textOf(c['uniqueid']),
    state: textOf(c['state']),
    ...(spiIn ? { spiIn } : {}),
    ...(spiOut ? { spiOut } : {}),
    bytesIn: count(c['bytes-in']),
    bytesOut: count(c['bytes-out']),
    packetsIn: count(c['packets-in']),
    packetsOut: count(c['packets-out']),
  };
}

/**
 * Per connection, what charon's `list-sas` shows of its SAs: the state of its IKE_SA (ESTABLISHED wins
 * when several exist, as during an IKE rekey), who initiated it, and its CHILD_SAs with their unique
 * ids, SPIs and counters. A CHILD belongs to the connection its name carries; an IKE_SA to the
 * connections of its CHILDs, the one its name carries, or the members of the peer group it names.
 */
export function saFactsOf(
  sas: readonly ViciNamedSection[],
  idOf: (name: string) => string | undefined,
  members: ReadonlyMap<string, readonly string[]>,
): Map<string, SaFacts> {
  const ike = new Map<string, { state: string; initiator: boolean }>();
  const children = new Map<string, ChildSaFact[]>();
  for (const sa of sas) {
    const state = textOf(sa.value['state']);
    const initiator = textOf(sa.value['initiator']) === 'yes';
    const owners = new Set<string>([...(idOf(sa.name) ? [idOf(sa.name)!] : []), ...(members.get(sa.name) ?? [])]);
    for (const c of Object.values((sa.value['child-sas'] ?? {}) as Record<string, Section>)) {
      const id = idOf(textOf(c['name']));
      if (!id) continue;
      owners.add(id);
      children.set(id, [...(children.get(id) ?? []), childFact(c)]);
    }
    for (const id of owners) {
      const had = ike.get(id);
      if (!had || (had.state !== 'ESTABLISHED' && state === 'ESTABLISHED')) ike.set(id, { state, initiator });
    }
  }
  const out = new Map<string, SaFacts>();
  for (const id of new Set([...ike.keys(), ...children.keys()])) {
    const i = ike.get(id);
    out.set(id, { ikeState: i?.state ?? null, ...(i ? { ikeInitiator: i.initiator } : {}), children: children.get(id) ?? [] });
  }
  return out;
}
