/**
 * Contract-level changes: the product's identity (id, domain), its lifecycle status, and the
 * descriptive fields a catalog shows (name, descriptions, tags, team, support, roles, custom
 * properties), which never break a consumer.
 */
import type { DiffContext } from './context.js';
import { compareFields, type FieldRule } from './fields.js';
import type { DataContract } from '../model.js';
import { short, stableJson } from './text.js';

export function compareContract(ctx: DiffContext): void {
  const { before: b, after: a } = ctx;
  if (b.id !== a.id) {
    ctx.emit({ rule: 'contract-id-changed', subject: 'id', message: `the contract id changed: it names the data product, so the catalog and every consumer see a different product`, before: b.id, after: a.id, origin: ctx.topOrigin('id') });
  }
  if ((b.domain ?? '') !== (a.domain ?? '')) {
    ctx.emit({ rule: 'domain-changed', subject: 'domain', message: 'the product moved to another domain: its Glue database, account and grants change', before: b.domain ?? '(none)', after: a.domain ?? '(none)', origin: ctx.topOrigin('domain') });
  }
  compareStatus(ctx);
  compareFields(ctx, CONTRACT_FIELDS, { before: b, after: a, subject: '', label: 'the contract', origin: (field) => ctx.topOrigin(field) });
}

function compareStatus(ctx: DiffContext): void {
  const { before: b, after: a } = ctx;
  const statusAfter = a.status.toLowerCase();
  if (b.status.toLowerCase() === statusAfter) return;
  const values = { subject: 'status', before: b.status, after: a.status, origin: ctx.topOrigin('status') };
  if (statusAfter === 'retired') ctx.emit({ rule: 'status-retired', message: 'the product is retired: consumers must stop using it', ...values });
  else if (statusAfter === 'deprecated') ctx.emit({ rule: 'status-deprecated', message: 'the product is deprecated: consumers should plan to move off it', ...values });
  else ctx.emit({ rule: 'status-changed', message: 'the status changed', ...values });
}

/** The contract's descriptive fields, in the order of the report. */
const CONTRACT_FIELDS: readonly FieldRule<DataContract>[] = [
  ...(['name', 'apiVersion', 'tenant', 'dataProduct'] as const).map(
    (field): FieldRule<DataContract> => ({ rule: 'metadata-changed', field, subject: field, message: () => `${field} changed`, compare: (c) => c[field] ?? '', show: (c) => c[field] ?? '(none)' }),
  ),
  ...(['purpose', 'usage', 'limitations'] as const).map(
    (field): FieldRule<DataContract> => ({
      rule: 'description-changed',
      field: 'description',
      subject: `description.${field}`,
      message: () => `the contract's ${field} changed`,
      compare: (c) => c.description[field] ?? '',
      show: (c) => short(c.description[field]),
    }),
  ),
  { rule: 'tags-changed', field: 'tags', subject: 'tags', message: () => 'tags changed', compare: (c) => [...c.tags].sort().join(', ') },
  {
    rule: 'owners-changed',
    field: 'team',
    subject: 'team',
    message: () => 'the owning team or its owners changed',
    compare: (c) => [c.team?.name ?? '', ...c.owners.map((o) => o.username).sort()].join(', '),
    show: describeTeam,
  },
  {
    rule: 'support-changed',
    field: 'support',
    subject: 'support',
    message: () => 'the support channels changed',
    compare: (c) => c.support.map((s) => [s.channel, s.tool, s.url].filter((x) => x !== undefined).join(' ')).sort().join('; '),
  },
  { rule: 'roles-changed', field: 'roles', subject: 'roles', message: () => 'the access roles changed', compare: (c) => c.roles.map((r) => `${r.role}${r.access ? ` (${r.access})` : ''}`).sort().join(', ') },
  { rule: 'custom-properties-changed', field: 'customProperties', subject: 'customProperties', message: () => 'custom properties changed', compare: (c) => stableJson(c.customProperties), show: (c) => stableJson(c.customProperties) },
];

function describeTeam(c: DataContract): string {
  const owners = c.owners.map((o) => o.username).sort().join(', ');
  return `${c.team?.name ?? '(no team)'}${owners ? ` (owners: ${owners})` : ''}`;
}
