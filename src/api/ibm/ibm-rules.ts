import { DEFAULT_DPD } from '../../domain/connection.js';
import { DEFAULT_LIFETIME_SECONDS } from '../../domain/policy.js';
import { ibmInvalid } from './ibm-errors.js';

/** IBM's wire rules (dialect validations, domain §9): written once here, used by schemas and mappers. */
export const NAME_PATTERN = '^-?([a-z]|[a-z][-a-z0-9]*[a-z0-9]|[0-9][-a-z0-9]*([a-z]|[-a-z][-a-z0-9]*[a-z0-9]))$';
export const NAME_MAX = 63;
export const IKE_LIFETIME = { min: 1800, max: 86400, default: DEFAULT_LIFETIME_SECONDS.ike } as const;
export const IPSEC_LIFETIME = { min: 300, max: 86400, default: DEFAULT_LIFETIME_SECONDS.ipsec } as const;
export const DPD_INTERVAL = { min: 1, max: 86399, default: DEFAULT_DPD.intervalSeconds } as const;
export const DPD_TIMEOUT = { min: 2, max: 86399, default: DEFAULT_DPD.timeoutSeconds } as const;
export const DPD_DEFAULT_ACTION = DEFAULT_DPD.action;
export const PSK_LENGTH = { min: 6, max: 128 } as const;
const PSK_CHARS = /^[A-Za-z0-9\-+&!@#$%^*().,:]+$/;

export function checkIbmPsk(psk: string, field = 'psk'): void {
  if (psk.length < PSK_LENGTH.min || psk.length > PSK_LENGTH.max) {
    throw ibmInvalid(field, `The pre-shared key must be ${PSK_LENGTH.min} to ${PSK_LENGTH.max} characters long.`);
  }
  if (!PSK_CHARS.test(psk)) {
    throw ibmInvalid(field, 'The pre-shared key may hold only letters, digits and - + & ! @ # $ % ^ * ( ) . , :');
  }
  if (/^0[xXsS]/.test(psk)) throw ibmInvalid(field, "The pre-shared key cannot start with '0x' or '0s'.");
}

export function checkIbmDpd(interval: number, timeout: number): void {
  if (interval > timeout) {
    throw ibmInvalid('dead_peer_detection.interval', `The DPD interval (${interval}) must not be longer than the timeout (${timeout}).`);
  }
}
