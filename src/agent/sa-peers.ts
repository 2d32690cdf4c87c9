/** charon's lines that name the peer of the IKE_SA they are logged for. */
const PEER_LINES: readonly RegExp[] = [
  /^received packet: from (\S+?)\[\d+\] to /,
  /^sending packet: from \S+?\[\d+\] to (\S+?)\[\d+\]/,
  /^(\S+) is initiating an? (?:Main Mode |Aggressive Mode )?IKE_SA/,
];

/** How many IKE_SAs are remembered (the oldest are forgotten first). */
const KEEP = 1024;

/**
 * The peer address of each IKE_SA, by its unique id, as charon's log lines show it. An IKE_SA the
 * peer starts has no name until a config is found for it, so a failure before that (no common
 * proposal, a PSK that does not decrypt) can be told apart only by its peer's address.
 */
export class SaPeers {
  readonly #peers = new Map<string, string>();

  /** Reads one log line of IKE_SA `uniqueId` (empty: none). */
  note(uniqueId: string, msg: string): void {
    if (!uniqueId) return;
    for (const re of PEER_LINES) {
      const address = re.exec(msg)?.[1];
      if (!address) continue;
      this.#peers.delete(uniqueId);
      this.#peers.set(uniqueId, address);
      if (this.#peers.size > KEEP) this.#peers.delete(this.#peers.keys().next().value!);
      return;
    }
  }

  of(uniqueId: string): string | undefined {
    return uniqueId ? this.#peers.get(uniqueId) : undefined;
  }
}
