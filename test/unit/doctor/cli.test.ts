/** `tessera doctor` as a command: misuse exits 2 before any work, and the text report's layout. */
import { describe, expect, it } from 'vitest';
import { renderChecks } from '../../../bin/cli/doctor.js';
import { runCli } from '../../../bin/cli/program.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), cwd: process.cwd() } };
}

describe('tessera doctor', () => {
  it('refuses --offline with credentials options (exit 2)', async () => {
    const { err, io: cli } = io();
    expect(await runCli(['doctor', 'mesh', '--offline', '--profile', 'deploy'], cli)).toBe(2);
    expect(err.join('')).toContain('--offline asks no account: drop --profile');
  });

  it('refuses a role pattern without {account} (exit 2)', async () => {
    const { err, io: cli } = io();
    expect(await runCli(['doctor', 'mesh', '--role-arn-pattern', 'arn:aws:iam::111111111111:role/Deploy'], cli)).toBe(2);
    expect(err.join('')).toContain("--role-arn-pattern 'arn:aws:iam::111111111111:role/Deploy' has no {account}");
  });

  it('refuses an --assembly folder without manifest.json (exit 2)', async () => {
    const { err, io: cli } = io();
    expect(await runCli(['doctor', 'mesh', '--offline', '--assembly', '/nonexistent-cdk-out'], cli)).toBe(2);
    expect(err.join('')).toContain('/nonexistent-cdk-out holds no manifest.json');
  });

  it('prints failures with their fix, counts passes, and sums up', () => {
    const text = renderChecks(
      [
        { id: 'deploy-order', title: 'the order', status: 'pass', notes: ['1. a in 1/r'], findings: [{ status: 'pass', subject: 'order', message: '1 stacks' }] },
        { id: 'principals', title: 'principals', status: 'fail', findings: [{ status: 'pass', subject: 'x', message: 'fine' }, { status: 'fail', subject: 'y', message: 'y is missing', fix: 'create y' }] },
        { id: 'ram', title: 'ram', status: 'skip', findings: [{ status: 'skip', subject: 'o', message: 'no organization' }] },
      ],
      false,
      '3 stacks',
    );
    expect(text).toBe(
      [
        'tessera doctor: 3 stacks',
        '',
        'PASS  deploy-order: the order',
        '      1. a in 1/r',
        '      (1 passed)',
        'FAIL  principals: principals',
        '      fail y is missing',
        '           fix: create y',
        '      (1 passed; --verbose shows them)',
        'SKIP  ram: ram',
        '      skip no organization',
        '',
        '3 checks: 1 passed, 1 failed, 1 skipped',
        '',
      ].join('\n'),
    );
  });
});
