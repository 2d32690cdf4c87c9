import { randomInt } from 'node:crypto';
import { randomName } from '../domain/names.js';

/**
 * A generated default name that is not taken yet. Random four-word names can collide once a scope
 * holds thousands of objects; after a few tries a numeric suffix makes the space large enough.
 */
export async function freeName(taken: (name: string) => Promise<boolean>): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const n = randomName();
    if (!(await taken(n))) return n;
  }
  for (;;) {
    const n = `${randomName()}-${randomInt(100000)}`;
    if (!(await taken(n))) return n;
  }
}
