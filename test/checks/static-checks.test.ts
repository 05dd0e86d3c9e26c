import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { STATIC_CHECKS } from './global-setup.js';

/** The verdict of a check started by the global setup, once it has ended. */
async function verdict(script: string): Promise<{ code: number; seconds: number; output: string }> {
  const file = join(inject('staticChecks').dir, `${script}.json`);
  while (!existsSync(file)) await sleep(250);
  return JSON.parse(readFileSync(file, 'utf8')) as { code: number; seconds: number; output: string };
}

describe('static checks', () => {
  for (const script of STATIC_CHECKS) {
    it(`npm run ${script} passes`, async () => {
      const { code, seconds, output } = await verdict(script);
      console.log(`[checks] npm run ${script}: exit ${code} in ${seconds.toFixed(1)} s`);
      expect(code, `npm run ${script} failed:\n${output}`).toBe(0);
    });
  }
});
