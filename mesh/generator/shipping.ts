/** Rows of the shipping domain: shipping/shipments (table shipments), one parcel per shipped order. */
import { dayOf, formatIsoDate, type IsoDate } from './calendar.js';
import type { PlacedOrder } from './orders.js';
import { createRandom, round, weighted, type Random } from './random.js';
import type { World } from './world.js';

export type ShipmentRow = {
  shipment_id: string;
  order_id: string;
  carrier: string;
  tracking_number: string;
  warehouse_id: string;
  status: string;
  shipped_ts: Date;
  delivered_ts: Date | null;
  weight_kg: number;
  ship_date: IsoDate;
};

/** Each carrier's tracking-number shape: a prefix, then digits. */
const TRACKING_PREFIX: Readonly<Record<string, string>> = {
  DHL: 'JJD',
  UPS: '1Z',
  DPD: '0',
  GLS: '9',
  'An Post': 'CE',
  Correos: 'PQ',
};

export function generateShipments(world: World, orders: readonly PlacedOrder[]): ShipmentRow[] {
  const random = createRandom(world.seed, 'shipments');
  const skuWeights = new Map(world.skus.map((s) => [s.sku, s.weightKg]));
  const warehouses = new Map(world.warehouses.map((w) => [w.warehouseId, w]));
  const shipped = orders
    .filter((o) => o.fulfilment !== undefined)
    .sort((a, b) => (a.fulfilment?.shippedTs.getTime() ?? 0) - (b.fulfilment?.shippedTs.getTime() ?? 0));

  return shipped.map((order, i) => {
    const fulfilment = order.fulfilment;
    const warehouse = fulfilment && warehouses.get(fulfilment.warehouseId);
    if (!fulfilment || !warehouse) throw new Error(`order ${order.header.order_id} has no known warehouse`);
    const carrier = weighted(random, warehouse.carriers);
    const goodsKg = order.lines.reduce((sum, line) => sum + line.quantity * (skuWeights.get(line.sku) ?? 0.5), 0);
    return {
      shipment_id: `S${String(i + 1).padStart(8, '0')}`,
      order_id: order.header.order_id,
      carrier,
      tracking_number: trackingNumber(random, carrier, i + 1),
      warehouse_id: warehouse.warehouseId,
      status: fulfilment.parcelStatus,
      shipped_ts: fulfilment.shippedTs,
      delivered_ts: fulfilment.deliveredTs,
      // Goods plus the box and filling.
      weight_kg: round(goodsKg + random.number.float({ min: 0.15, max: 0.6 }), 3),
      ship_date: formatIsoDate(dayOf(fulfilment.shippedTs)),
    };
  });
}

/** Unique by construction: the parcel's sequence number is part of it. */
function trackingNumber(random: Random, carrier: string, sequence: number): string {
  const prefix = TRACKING_PREFIX[carrier] ?? 'TR';
  return `${prefix}${String(sequence).padStart(8, '0')}${random.string.numeric({ length: 6 })}`;
}
