import { randomInt } from 'node:crypto';

// Word lists for default names ("random hyphenated words", as IBM does). Lower-case letters only,
// so every generated name matches the IBM name pattern.
const ADJECTIVES = [
  'amber',
  'brave',
  'calm',
  'dapper',
  'eager',
  'fancy',
  'gentle',
  'hasty',
  'icy',
  'jolly',
  'keen',
  'lively',
  'mellow',
  'nimble',
  'oaken',
  'polite',
  'quiet',
  'rapid',
  'shiny',
  'tidy',
  'upbeat',
  'vivid',
  'witty',
  'zesty',
];
const NOUNS = [
  'otter',
  'falcon',
  'maple',
  'harbor',
  'comet',
  'meadow',
  'canyon',
  'lantern',
  'pebble',
  'glacier',
  'willow',
  'badger',
  'beacon',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'heron',
  'island',
  'jasper',
  'kestrel',
];
const VERBS = ['amuse', 'borrow', 'carve', 'dwell', 'echo', 'follow', 'gather', 'hover', 'jump', 'knit', 'linger', 'mend'];

const pick = (list: readonly string[]): string => list[randomInt(list.length)]!;

export function randomName(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${pick(VERBS)}-${pick(NOUNS)}`;
}
