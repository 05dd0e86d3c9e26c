/** Glue names derived from mesh names: one rule, used by the constructs and the local engine. */

/** The Glue database of a domain: its name with dashes as underscores (Glue/Athena allow `_`). */
export function databaseNameFor(domain: string): string {
  return domain.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The central EventBridge bus in the governance account that every domain publishes to. */
export function centralBusName(mesh: string): string {
  return `tessera-${mesh}`;
}

