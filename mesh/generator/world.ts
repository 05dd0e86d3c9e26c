/**
 * The shared facts every domain's data agrees on: the time window, the countries the shop sells
 * to, the warehouses and the product catalogue (SKUs). Domains draw their rows from these, which
 * is what keeps the products joinable (a line's SKU is stocked, a parcel leaves a real warehouse).
 */
import { formatIsoDate, parseIsoDate } from './calendar.js';
import { createRandom, round, weighted, type Random } from './random.js';

export interface Country {
  readonly code: string;
  readonly callingCode: string;
  readonly currency: 'EUR' | 'GBP' | 'SEK' | 'PLN';
  /** Relative share of customers. */
  readonly weight: number;
  /** The warehouse that normally serves the country. */
  readonly warehouseId: string;
}

export interface Warehouse {
  readonly warehouseId: string;
  readonly countryCode: string;
  /** Carriers that collect at this warehouse, with their share of its parcels. */
  readonly carriers: readonly (readonly [string, number])[];
}

export interface Sku {
  readonly sku: string;
  readonly category: string;
  readonly unitPriceCents: number;
  readonly unitCostCents: number;
  readonly weightKg: number;
}

export interface World {
  readonly asOf: string;
  /** Day numbers (days since 1970-01-01) of the first and last complete day of data. */
  readonly firstDay: number;
  readonly lastDay: number;
  readonly days: number;
  readonly scale: number;
  readonly seed: number;
  readonly countries: readonly Country[];
  readonly warehouses: readonly Warehouse[];
  readonly skus: readonly Sku[];
}

export const WAREHOUSES: readonly Warehouse[] = [
  { warehouseId: 'WH-DUB', countryCode: 'IE', carriers: [['An Post', 4], ['DPD', 3], ['UPS', 2], ['DHL', 1]] },
  { warehouseId: 'WH-MAD', countryCode: 'ES', carriers: [['Correos', 4], ['GLS', 3], ['UPS', 2], ['DHL', 1]] },
  { warehouseId: 'WH-FRA', countryCode: 'DE', carriers: [['DHL', 5], ['DPD', 3], ['GLS', 2], ['UPS', 1]] },
];

export const COUNTRIES: readonly Country[] = [
  { code: 'IE', callingCode: '353', currency: 'EUR', weight: 8, warehouseId: 'WH-DUB' },
  { code: 'GB', callingCode: '44', currency: 'GBP', weight: 18, warehouseId: 'WH-DUB' },
  { code: 'DE', callingCode: '49', currency: 'EUR', weight: 20, warehouseId: 'WH-FRA' },
  { code: 'FR', callingCode: '33', currency: 'EUR', weight: 14, warehouseId: 'WH-MAD' },
  { code: 'ES', callingCode: '34', currency: 'EUR', weight: 10, warehouseId: 'WH-MAD' },
  { code: 'IT', callingCode: '39', currency: 'EUR', weight: 9, warehouseId: 'WH-MAD' },
  { code: 'NL', callingCode: '31', currency: 'EUR', weight: 7, warehouseId: 'WH-FRA' },
  { code: 'BE', callingCode: '32', currency: 'EUR', weight: 4, warehouseId: 'WH-FRA' },
  { code: 'SE', callingCode: '46', currency: 'SEK', weight: 5, warehouseId: 'WH-FRA' },
  { code: 'PL', callingCode: '48', currency: 'PLN', weight: 5, warehouseId: 'WH-FRA' },
];

/** Category, its share of the catalogue, and its price and weight ranges. */
const CATEGORIES: readonly (readonly [string, number, readonly [number, number], readonly [number, number]])[] = [
  ['apparel', 30, [9.99, 89.99], [0.2, 1.2]],
  ['footwear', 12, [29.99, 159.99], [0.6, 1.8]],
  ['home', 18, [4.99, 129.99], [0.3, 8]],
  ['electronics', 10, [19.99, 499.99], [0.1, 4]],
  ['beauty', 15, [3.99, 59.99], [0.05, 0.6]],
  ['sports', 15, [7.99, 199.99], [0.2, 12]],
];

export const BASE_SKUS = 300;

export function buildWorld(options: { asOf: string; days: number; scale: number; seed: number }): World {
  const asOfDay = parseIsoDate(options.asOf);
  // The data covers complete days only: the `days` days before asOf.
  const lastDay = asOfDay - 1;
  const firstDay = asOfDay - options.days;
  return {
    asOf: formatIsoDate(asOfDay),
    firstDay,
    lastDay,
    days: options.days,
    scale: options.scale,
    seed: options.seed,
    countries: COUNTRIES,
    warehouses: WAREHOUSES,
    skus: buildCatalogue(options.seed, Math.max(10, Math.round(BASE_SKUS * options.scale))),
  };
}

function buildCatalogue(seed: number, count: number): Sku[] {
  const random = createRandom(seed, 'catalogue');
  return Array.from({ length: count }, (_, i) => {
    const [category, , [minPrice, maxPrice], [minWeight, maxWeight]] = weighted(
      random,
      CATEGORIES.map((c) => [c, c[1]] as const),
    );
    // Most items are cheap and light, a few expensive or heavy; prices end in .99 or .49.
    const euros = Math.floor(skewedLow(random, minPrice, maxPrice));
    const unitPriceCents = euros * 100 + (random.datatype.boolean() ? 99 : 49);
    const costShare = random.number.float({ min: 0.3, max: 0.65 });
    return {
      sku: `SKU-${String(i + 1).padStart(5, '0')}`,
      category,
      unitPriceCents,
      unitCostCents: Math.round(unitPriceCents * costShare),
      weightKg: round(skewedLow(random, minWeight, maxWeight), 3),
    };
  });
}

function skewedLow(random: Random, min: number, max: number): number {
  return min + (max - min) * random.number.float({ min: 0, max: 1 }) ** 2.5;
}
