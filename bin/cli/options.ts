/** Option parsers shared by commands: a bad value is a usage error (exit 2) before anything runs. */
import { InvalidArgumentError } from 'commander';

/** Parses a whole number from `min` to `max`; commander reports the option and the value. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}
