import { describe, expect, it } from 'vitest';
import { routeEventDropsOf } from './netlink-drops.js';

const HEAD = 'sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode';

describe('routeEventDropsOf', () => {
  it('sums the drops of route sockets that listen to groups, and only those', () => {
    const text = [
      HEAD,
      '00000000b150cb44 0   0          00000000 0        0        0     2        0        2146554 ', // the kernel's own
      '000000007a1c0e11 0   23456      00000551 212992   0        0     2        1744     2146600 ', // charon's event socket
      '000000007a1c0e12 0   23457      00000000 0        0        0     2        9        2146601 ', // a request socket: no groups
      '000000009ccb5727 6   0          00000001 0        0        0     2        50       2146562 ', // XFRM, not route
      '000000007a1c0e13 0   -1234      00000111 0        0        0     2        6        2146602 ',
      '',
    ].join('\n');
    expect(routeEventDropsOf(text)).toEqual({ drops: 1750, sockets: '2146600,2146602' });
  });

  it('is 0 without listeners', () => {
    expect(routeEventDropsOf(`${HEAD}\n`)).toEqual({ drops: 0, sockets: '' });
    expect(routeEventDropsOf('')).toEqual({ drops: 0, sockets: '' });
  });
});
