/**
 * Typed wrappers for the commands the control plane uses (fact sheet §2.1). Each sends one command over
 * a {@link ViciSession}; an answer with `success = no` throws {@link ViciCommandError} carrying `errmsg`
 * (and, for `initiate`/`terminate`, the `control-log` lines that explain it).
 */
import type { ViciMessage, ViciSectionInput } from './vici-codec.js';
import { ViciCommandError } from './vici-errors.js';
import { parseLogLine, type ViciLogLine } from './vici-event-stream.js';
import type { ViciSession } from './vici-session.js';

/** The part of a {@link ViciSession} the commands need. */
export type ViciRequester = Pick<ViciSession, 'request' | 'streamedRequest'>;

/** The answer to `version`. */
export interface ViciVersion {
  readonly daemon: string;
  readonly version: string;
  readonly sysname: string;
  readonly release: string;
  readonly machine: string;
}

/** One top-level section of a streamed answer: a conn of `list-conns`, an IKE_SA of `list-sas`. */
export interface ViciNamedSection {
  readonly name: string;
  readonly value: ViciMessage;
}

/** `load-shared` input. `data` is the raw secret: a `Uint8Array` goes as is, a string as its UTF-8 bytes. */
export interface LoadSharedInput {
  /** Unique handle; loading the same id again replaces the key. */
  readonly id?: string;
  readonly type: 'IKE' | 'EAP' | 'XAUTH' | 'NTLM' | 'PPK';
  readonly data: Uint8Array | string;
  /** Identities the key is for; none means `%any`. */
  readonly owners?: readonly string[];
}

/** `initiate` input. Always name a `child` (with only `ike`, charon starts a childless IKE_SA). */
export interface InitiateInput {
  readonly child: string;
  readonly ike?: string;
  /** 0 (default) waits until up or failed; > 0 gives up waiting (negotiation continues); < 0 returns at once. */
  readonly timeoutMs?: number;
  /** Detail of the collected `control-log` (−1..4, charon's default 1). */
  readonly loglevel?: number;
  readonly initLimits?: boolean;
}

/** What `terminate` closes: a name or a unique id, of a CHILD_SA or an IKE_SA. */
export type TerminateSelector = { readonly child: string } | { readonly ike: string } | { readonly childId: number } | { readonly ikeId: number };

/** `terminate` options. */
export interface TerminateOptions {
  /** Destroy the IKE_SA without waiting for the DELETE exchange. */
  readonly force?: boolean;
  /** 0 waits, −1 returns at once. */
  readonly timeoutMs?: number;
  readonly loglevel?: number;
}

/** The `control-log` lines collected while `initiate`/`terminate` ran. */
export interface ControlResult {
  readonly log: readonly ViciLogLine[];
}

/** The answer to `terminate`. */
export interface TerminateResult extends ControlResult {
  readonly matches: number;
  readonly terminated: number;
}

/** `list-sas` filters. */
export interface ListSasFilter {
  /** Skip IKE_SAs that are checked out instead of waiting for them. */
  readonly noblock?: boolean;
  readonly ike?: string;
  readonly ikeId?: number;
  readonly child?: string;
  readonly childId?: number;
}

/** `install`/`uninstall` selector (trap, pass and drop policies). */
export interface PolicySelector {
  readonly child: string;
  readonly ike?: string;
}

const text = (m: ViciMessage, key: string): string => {
  const v = m[key];
  return typeof v === 'string' ? v : '';
};
const list = (m: ViciMessage, key: string): string[] => {
  const v = m[key];
  return Array.isArray(v) ? v : [];
};
const count = (m: ViciMessage, key: string): number => Number(text(m, key) || 0);

/** Throws {@link ViciCommandError} when the answer says `success = no`. */
export function checkSuccess(command: string, response: ViciMessage, log: readonly ViciLogLine[] = []): ViciMessage {
  if (response.success === 'no') throw new ViciCommandError(command, text(response, 'errmsg'), response, log);
  return response;
}

/** Typed VICI commands over one session. */
export class ViciCommands<S extends ViciRequester = ViciRequester> {
  constructor(
    /** The command session; use it directly for commands without a wrapper (`session.request('rekey', …)`). */
    readonly session: S,
  ) {}

  /** Daemon name and version, e.g. `charon` 5.9.8. */
  async version(): Promise<ViciVersion> {
    const r = await this.session.request('version');
    return { daemon: text(r, 'daemon'), version: text(r, 'version'), sysname: text(r, 'sysname'), release: text(r, 'release'), machine: text(r, 'machine') };
  }

  /** Uptime, workers, queues, IKE_SA counts, loaded plugins (a good liveness probe). */
  stats(): Promise<ViciMessage> {
    return this.session.request('stats');
  }

  /** Re-reads strongswan.conf (the file `STRONGSWAN_CONF` named). */
  async reloadSettings(): Promise<void> {
    checkSuccess('reload-settings', await this.session.request('reload-settings'));
  }

  /** Adds, updates or replaces connection `name` (fact sheet §3). */
  async loadConn(name: string, conn: ViciSectionInput): Promise<void> {
    checkSuccess('load-conn', await this.session.request('load-conn', new Map([[name, conn]])));
  }

  /** Removes connection `name`; undoes start actions only (§3.4). */
  async unloadConn(name: string): Promise<void> {
    checkSuccess('unload-conn', await this.session.request('unload-conn', { name }));
  }

  /** Names of the connections loaded over vici. */
  async getConns(): Promise<string[]> {
    return list(await this.session.request('get-conns'), 'conns');
  }

  /** Every connection of every backend, optionally only `ike`, in charon's order. */
  listConns(filter: { readonly ike?: string } = {}): Promise<ViciNamedSection[]> {
    return this.#streamSections('list-conns', 'list-conn', { ike: filter.ike });
  }

  /** The IKE_SAs (one entry each, keyed by conn name; names repeat when a conn has several SAs). */
  listSas(filter: ListSasFilter = {}): Promise<ViciNamedSection[]> {
    const { noblock, ike, ikeId, child, childId } = filter;
    return this.#streamSections('list-sas', 'list-sa', { noblock: noblock ? 'yes' : undefined, ike, 'ike-id': ikeId, child, 'child-id': childId });
  }

  /** Loads (or, same `id`, replaces) a shared secret. */
  async loadShared(input: LoadSharedInput): Promise<void> {
    const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : input.data;
    checkSuccess('load-shared', await this.session.request('load-shared', { id: input.id, type: input.type, data, owners: input.owners ?? [] }));
  }

  /** Removes shared secret `id` (charon answers success even for an unknown id). */
  async unloadShared(id: string): Promise<void> {
    checkSuccess('unload-shared', await this.session.request('unload-shared', { id }));
  }

  /** Ids of the shared secrets loaded over vici with an id. */
  async getShared(): Promise<string[]> {
    return list(await this.session.request('get-shared'), 'keys');
  }

  /** Brings a CHILD_SA (and its IKE_SA) up; failures carry the `control-log` lines. */
  async initiate(input: InitiateInput): Promise<ControlResult> {
    const log: ViciLogLine[] = [];
    const { child, ike, timeoutMs, loglevel, initLimits } = input;
    const r = await this.session.streamedRequest('initiate', 'control-log', { child, ike, timeout: timeoutMs, loglevel, 'init-limits': initLimits }, (m) =>
      log.push(parseLogLine(m)),
    );
    checkSuccess('initiate', r, log);
    return { log };
  }

  /** Closes SAs by name or unique id. */
  async terminate(selector: TerminateSelector, options: TerminateOptions = {}): Promise<TerminateResult> {
    const log: ViciLogLine[] = [];
    const sel =
      'child' in selector
        ? { child: selector.child }
        : 'ike' in selector
          ? { ike: selector.ike }
          : 'childId' in selector
            ? { 'child-id': selector.childId }
            : { 'ike-id': selector.ikeId };
    const body = { ...sel, force: options.force, timeout: options.timeoutMs, loglevel: options.loglevel };
    const r = await this.session.streamedRequest('terminate', 'control-log', body, (m) => log.push(parseLogLine(m)));
    checkSuccess('terminate', r, log);
    return { matches: count(r, 'matches'), terminated: count(r, 'terminated'), log };
  }

  /** Installs the trap/pass/drop policies of a child. */
  async install(selector: PolicySelector): Promise<void> {
    checkSuccess('install', await this.session.request('install', { child: selector.child, ike: selector.ike }));
  }

  /** Removes the trap/pass/drop policies of a child (e.g. traps left by `dpd_action=trap`). */
  async uninstall(selector: PolicySelector): Promise<void> {
    checkSuccess('uninstall', await this.session.request('uninstall', { child: selector.child, ike: selector.ike }));
  }

  async #streamSections(command: string, event: string, message: ViciSectionInput): Promise<ViciNamedSection[]> {
    const out: ViciNamedSection[] = [];
    const r = await this.session.streamedRequest(command, event, message, (m) => {
      for (const [name, value] of Object.entries(m)) if (typeof value === 'object' && !Array.isArray(value)) out.push({ name, value });
    });
    checkSuccess(command, r);
    return out;
  }
}
