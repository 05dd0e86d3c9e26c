/**
 * The deliberate defects of the sample data, all in one place. Each breaks exactly one quality rule
 * or SLA of its contract, so a checker run over the sample data has something real to find, while
 * every other rule passes. Counts scale with `scale` (at least 1) and are exact: rows picked for one
 * defect are never picked for another.
 */
import { formatIsoDate } from './calendar.js';
import type { CustomerProfileRow } from './customer.js';
import type { StockLevelRow } from './inventory.js';
import type { OrderLineRow } from './orders.js';
import { createRandom, sampleIndexes } from './random.js';
import type { ShipmentRow } from './shipping.js';
import type { Defect } from './types.js';
import type { World } from './world.js';

export interface DefectTargets {
  customerProfiles: CustomerProfileRow[];
  orderLines: OrderLineRow[];
  stockLevels: StockLevelRow[];
  shipments: ShipmentRow[];
}

/** A carrier the shipping team started using before adding it to the contract's validValues. */
export const UNCONTRACTED_CARRIER = 'Parcelink';
/** Snapshots missing at the end of stock_levels: the newest is asOf - (STALE_DAYS + 1). */
export const STALE_DAYS = 2;

/** Mutates the row arrays in place and returns what it did. */
export function injectDefects(world: World, targets: DefectTargets): Defect[] {
  const random = createRandom(world.seed, 'defects');
  const scaled = (base: number): number => Math.max(1, Math.round(base * world.scale));
  const defects: Defect[] = [];

  // 1. Customers without an e-mail address.
  const nullEmails = sampleIndexes(random, targets.customerProfiles.length, scaled(10));
  for (const i of nullEmails) {
    const row = targets.customerProfiles[i];
    if (row) targets.customerProfiles[i] = { ...row, email: null };
  }
  defects.push({
    product: 'customer-profiles',
    table: 'customer_profiles',
    column: 'email',
    kind: 'nulls',
    count: nullEmails.length,
    description:
      'Customers created by the phone-order path, which skipped the e-mail step, have no e-mail address; ' +
      'breaks quality rule email_not_null (nullValues mustBe 0).',
  });

  // 2 and 3 share the order lines: pick both sets at once so they are disjoint.
  const negativeCount = scaled(3);
  const duplicateCount = scaled(5);
  const picked = sampleIndexes(random, targets.orderLines.length, negativeCount + duplicateCount);
  const shuffled = random.helpers.shuffle(picked);
  const negative = shuffled.slice(0, negativeCount).sort((a, b) => a - b);
  const duplicated = shuffled.slice(negativeCount).sort((a, b) => a - b);

  // 2. Lines whose quantity sign was flipped (a return booked as a negative sale).
  for (const i of negative) {
    const row = targets.orderLines[i];
    if (row) targets.orderLines[i] = { ...row, quantity: -row.quantity };
  }
  defects.push({
    product: 'order-lines',
    table: 'order_lines',
    column: 'quantity',
    kind: 'out-of-range',
    count: negative.length,
    description:
      'Returns booked by the old back-office tool as lines with a negative quantity (line_amount left unchanged); ' +
      'breaks quality rule quantity_positive (SELECT count(*) ... WHERE quantity <= 0, mustBe 0).',
  });

  // 3. Lines delivered twice by an at-least-once export: exact copies, same (order_id, line_number).
  for (const i of duplicated) {
    const row = targets.orderLines[i];
    if (row) targets.orderLines.push({ ...row });
  }
  defects.push({
    product: 'order-lines',
    table: 'order_lines',
    kind: 'duplicates',
    count: duplicated.length,
    description:
      'Order lines written twice by an at-least-once export retry: identical rows sharing (order_id, line_number); ' +
      'count is the number of extra rows. Breaks quality rule order_line_key_unique (duplicateValues on order_id, line_number).',
  });

  // 4. The newest stock snapshots never arrived.
  const newestKept = world.lastDay - STALE_DAYS;
  const missing = Array.from({ length: STALE_DAYS }, (_, i) => formatIsoDate(newestKept + 1 + i));
  // In place, without spreading: at larger scales the table has more rows than a call has arguments.
  let kept = 0;
  for (const row of targets.stockLevels) {
    if (!missing.includes(row.snapshot_date)) targets.stockLevels[kept++] = row;
  }
  targets.stockLevels.length = kept;
  defects.push({
    product: 'stock-levels',
    table: 'stock_levels',
    column: 'snapshot_date',
    kind: 'stale-partition',
    count: STALE_DAYS,
    description:
      `The warehouse export stalled: no snapshot for ${missing.join(' and ')}, so the newest snapshot_date is ` +
      `${formatIsoDate(newestKept)}, ${STALE_DAYS + 1} days before as-of; breaks the latency SLA (2 d on stock_levels.snapshot_date). ` +
      'count is the number of missing daily partitions.',
  });

  // 5. Parcels handed to a carrier the contract does not know.
  const uncontracted = sampleIndexes(random, targets.shipments.length, scaled(4));
  for (const i of uncontracted) {
    const row = targets.shipments[i];
    if (row) targets.shipments[i] = { ...row, carrier: UNCONTRACTED_CARRIER };
  }
  defects.push({
    product: 'shipments',
    table: 'shipments',
    column: 'carrier',
    kind: 'invalid-value',
    count: uncontracted.length,
    description:
      `Parcels handed to ${UNCONTRACTED_CARRIER}, a carrier trialled before the contract's validValues were updated; ` +
      'breaks quality rule carrier_known (invalidValues mustBe 0).',
  });

  return defects;
}
