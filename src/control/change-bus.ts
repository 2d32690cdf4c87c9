import { EventEmitter } from 'node:events';

/**
 * Wakes readers of the change log in this process once a transaction that recorded changes has
 * committed. It carries no change: readers read the `changes` table from the generation they have
 * seen, so a reader in another process (polling) sees exactly the same thing.
 */
export class ChangeBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  wake(): void {
    this.#emitter.emit('wake');
  }

  subscribe(listener: () => void): () => void {
    this.#emitter.on('wake', listener);
    return () => this.#emitter.off('wake', listener);
  }
}
