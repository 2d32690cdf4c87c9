import type { FastifyRequest } from 'fastify';
import { IbmHttpError } from './ibm-errors.js';
import { textOf } from '../../domain/text.js';

/** The oldest `version` date served: the VPN for VPC beta. */
export const OLDEST_VERSION = '2019-11-05';
/** From this date connections use the `local{…}`/`peer{…}` shape. */
export const VERSION_LOCAL_PEER = '2024-04-30';
/** Before this date gateways and members also show `status`. */
export const VERSION_LIFECYCLE_ONLY = '2023-10-10';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Checks `version` (required; a real date, not before the beta, not after today) and `generation` (2). */
export function checkVersion(request: FastifyRequest, now = new Date()): string {
  const q = request.query as Record<string, unknown> | undefined;
  const raw = q?.['version'];
  const version = textOf(Array.isArray(raw) ? (raw as unknown[])[0] : raw);
  if (version === '') {
    throw new IbmHttpError(400, {
      code: 'invalid_version',
      message: 'The version query parameter is required, as a date (YYYY-MM-DD), e.g. version=2026-06-02.',
      target: { type: 'parameter', name: 'version' },
    });
  }
  const m = DATE.exec(version);
  const d = m ? new Date(`${m[0]}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m[0]) {
    throw new IbmHttpError(400, {
      code: 'invalid_version',
      message: `The version '${version.slice(0, 80)}' is not a valid date (YYYY-MM-DD).`,
      target: { type: 'parameter', name: 'version', value: version.slice(0, 80) },
    });
  }
  // One day of slack, so clients ahead of UTC can send their own "today".
  const tomorrow = todayUtc(new Date(now.getTime() + 86_400_000));
  if (m[0] > tomorrow) {
    throw new IbmHttpError(400, {
      code: 'invalid_version',
      message: `The version '${m[0]}' is in the future; use a date up to today.`,
      target: { type: 'parameter', name: 'version', value: m[0] },
    });
  }
  if (m[0] < OLDEST_VERSION) {
    throw new IbmHttpError(400, {
      code: 'invalid_version_range',
      message: `The version value cannot be before ${OLDEST_VERSION}.`,
      target: { type: 'parameter', name: 'version', value: m[0] },
    });
  }
  const gen = q?.['generation'];
  if (gen !== undefined && String(Array.isArray(gen) ? gen[0] : gen) !== '2') {
    throw new IbmHttpError(400, {
      code: 'invalid_generation',
      message: 'The generation query parameter must be 2.',
      target: { type: 'parameter', name: 'generation', value: textOf(gen) },
    });
  }
  return m[0];
}
