/**
 * `tessera diff --json`: the fields its help promises are the fields it prints (the help once
 * listed a `requiresMajor` the output never had, and left out `versions`).
 */
import { describe, expect, it } from 'vitest';
import { runTessera } from '../support/cli.js';

const root = new URL('../..', import.meta.url).pathname;

describe('tessera diff --json', () => {
  it('prints exactly the fields its help lists', async () => {
    const help = await runTessera(root, 'diff', '--help');
    // Commander wraps the description; its continuation lines are indented.
    const listed = /--json\s+print the diff as JSON: (.+?)\n\s+-h, --help/s.exec(help.out)?.[1]?.replace(/\s+/g, ' ');
    expect(listed).toBe('files, changes, breaking, versionBump, ok, versions, and impact when a mesh is known');
    const { code, out } = await runTessera(root, 'diff', '--json', 'mesh/orders/orders.odcs.yaml', 'mesh/orders/orders.odcs.yaml');
    expect(code).toBe(0);
    // mesh/mesh.yaml lists the contract: the mesh is known.
    expect(Object.keys(JSON.parse(out) as object)).toEqual(['files', 'changes', 'breaking', 'versionBump', 'ok', 'versions', 'impact']);
  });
});
