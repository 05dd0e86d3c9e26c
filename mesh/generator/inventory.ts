/** Rows of the inventory domain: inventory/stock-levels (table stock_levels), one snapshot a day. */
import { addMs, formatIsoDate, MS_PER_HOUR, startOfDay, type IsoDate } from './calendar.js';
import { chance, createRandom } from './random.js';
import type { World } from './world.js';

export type StockLevelRow = {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
  reorder_point: number;
  unit_cost: number;
  counted_at: Date;
  snapshot_date: IsoDate;
};

/** Every SKU in every warehouse for every day of the window, from a per-position random walk. */
export function generateStockLevels(world: World): StockLevelRow[] {
  const random = createRandom(world.seed, 'stock-levels');
  const positions = world.skus.flatMap((sku) =>
    world.warehouses.map((warehouse) => ({
      sku,
      warehouseId: warehouse.warehouseId,
      reorderPoint: random.number.int({ min: 10, max: 60 }),
      onHand: random.number.int({ min: 20, max: 400 }),
      incoming: 0,
    })),
  );

  const rows: StockLevelRow[] = [];
  for (let day = world.firstDay; day <= world.lastDay; day++) {
    // The nightly count runs from 23:00 and takes up to an hour.
    const countStart = addMs(startOfDay(day), 23 * MS_PER_HOUR);
    for (const position of positions) {
      const sold = random.number.int({ min: 0, max: 12 });
      position.onHand = Math.max(0, position.onHand - sold) + position.incoming;
      position.incoming = 0;
      const reserved = random.number.int({ min: 0, max: Math.min(position.onHand, 15) });
      // Replenishment ordered today arrives tomorrow; now and then a delivery is late.
      if (position.onHand - reserved < position.reorderPoint && !chance(random, 0.1)) {
        position.incoming = random.number.int({ min: 100, max: 300 });
      }
      rows.push({
        sku: position.sku.sku,
        warehouse_id: position.warehouseId,
        on_hand: position.onHand,
        reserved,
        reorder_point: position.reorderPoint,
        unit_cost: position.sku.unitCostCents / 100,
        counted_at: addMs(countStart, random.number.int({ min: 0, max: 3_599 }) * 1_000),
        snapshot_date: formatIsoDate(day),
      });
    }
  }
  return rows;
}
