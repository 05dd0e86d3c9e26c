/**
 * Server changes: a removed server or another type, format or location breaks its readers;
 * descriptive details do not. A server is matched by its `server` name.
 */
import { locate, type DiffContext } from './context.js';
import { matchBy } from './match.js';
import type { DataContract, Origin, Server } from '../model.js';
import type { DiffRule } from './rules.js';
import { display, stableJson } from './text.js';

/** What a change of each server key means; any key not listed is where the data is (location, host, database ...). */
const SERVER_KEYS: readonly { readonly keys: readonly string[]; readonly rule: DiffRule; readonly message: (server: string, key: string) => string }[] = [
  { keys: ['type'], rule: 'server-type-changed', message: (s) => `server '${s}' changed its type: consumers need another client to read it` },
  { keys: ['format', 'delimiter'], rule: 'server-format-changed', message: (s, k) => `server '${s}' changed its data ${k}: readers of the files must change` },
  { keys: ['id', 'server', 'description', 'environment', 'roles', 'customProperties'], rule: 'server-details-changed', message: (s, k) => `server '${s}' changed its ${k}` },
];
const LOCATION_KEY = { rule: 'server-location-changed' as const, message: (s: string, k: string) => `server '${s}' changed its ${k}: consumers reading the old location find nothing new` };

const serverOrigin = (contract: DataContract, server: Server): Origin => locate(contract, ['servers', contract.servers.indexOf(server)]);

export function compareServers(ctx: DiffContext): void {
  const { pairs, removed, added } = matchBy(ctx.before.servers, ctx.after.servers, [(s) => s.server.toLowerCase()]);
  for (const server of removed) {
    ctx.emit({ rule: 'server-removed', subject: `servers.${server.server}`, message: `server '${server.server}' was removed: consumers reading from it lose the data`, before: describeServer(server), origin: serverOrigin(ctx.before, server) });
  }
  for (const server of added) {
    ctx.emit({ rule: 'server-added', subject: `servers.${server.server}`, message: `server '${server.server}' was added`, after: describeServer(server), origin: serverOrigin(ctx.after, server) });
  }
  for (const [b, a] of pairs) compareServer(ctx, b, a);
}

function compareServer(ctx: DiffContext, b: Server, a: Server): void {
  const origin = serverOrigin(ctx.after, a);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  for (const key of keys) {
    if (stableJson(b[key]) === stableJson(a[key])) continue;
    const meaning = SERVER_KEYS.find((k) => k.keys.includes(key)) ?? LOCATION_KEY;
    ctx.emit({
      rule: meaning.rule,
      subject: `servers.${a.server}`,
      message: meaning.message(a.server, key),
      before: b[key] === undefined ? '(none)' : display(b[key]),
      after: a[key] === undefined ? '(none)' : display(a[key]),
      origin: locate(ctx.after, [...origin.path, key]),
    });
  }
}

function describeServer(s: Server): string {
  const where = ['location', 'host', 'database', 'schema', 'path'].map((k) => s[k]).find((v) => typeof v === 'string');
  return `${s.type}${typeof where === 'string' ? ` ${where}` : ''}`;
}
