import { EventEmitter } from 'node:events';

/** What a use case changed; the agent (and finalizers) subscribe to these. */
export interface Change {
  readonly resource: 'vpn_gateway' | 'connection' | 'ike_policy' | 'ipsec_policy';
  readonly id: string;
  readonly action: 'created' | 'updated' | 'deleting';
  /** The gateways whose desired state this change touches. */
  readonly gatewayIds: readonly string[];
}

export class ChangeBus {
  readonly #emitter = new EventEmitter();

  publish(change: Change): void {
    this.#emitter.emit('change', change);
  }

  subscribe(listener: (c: Change) => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }
}
