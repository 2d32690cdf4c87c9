import { IbmHttpError } from './ibm-errors.js';

/** For tests: runs `fn` and returns the IbmHttpError it throws (anything else fails the test). */
export function ibmError(fn: () => unknown): IbmHttpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IbmHttpError) return e;
    throw e;
  }
  throw new Error('expected an IbmHttpError, but nothing was thrown');
}
