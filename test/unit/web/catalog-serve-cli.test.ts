/** `tessera catalog serve` refuses what it cannot do before it starts anything. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTessera } from '../../support/cli.js';

const root = join(import.meta.dirname, '../../..');

describe('tessera catalog serve', () => {
  it('needs --local: the deployed pages are served by CloudFront', async () => {
    const { code, err } = await runTessera(root, 'catalog', 'serve');
    expect(code).toBe(2);
    expect(err).toBe('error: catalog serve runs the local catalog: pass --local (the deployed pages are served by CloudFront, see docs/web-catalog.md)\n(run with --help for usage)\n');
  });

  it('refuses a port that is not one', async () => {
    for (const port of ['65536', '-1', 'http']) {
      const { code, err } = await runTessera(root, 'catalog', 'serve', '--local', '--port', port);
      expect(code, port).toBe(2);
      expect(err).toContain(`argument '${port}' is invalid. must be a whole number from 0 to 65535.`);
    }
  });
});
