/**
 * Rows of the orders domain: orders/orders (table orders) and orders/order-lines (table order_lines).
 *
 * Orders are generated as whole stories (header, lines and what happened to the parcel) so that the
 * order status, its lines and the shipping domain's parcels agree. The shipping rows are projected
 * from the same stories in shipping.ts.
 */
import {
  addMs,
  dayOf,
  formatIsoDate,
  MS_PER_DAY,
  MS_PER_HOUR,
  parseIsoDate,
  startOfDay,
  weekday,
  type IsoDate,
} from './calendar.js';
import type { CustomerProfileRow } from './customer.js';
import { chance, createRandom, weighted, type Random } from './random.js';
import type { Country, Sku, World } from './world.js';

export type OrderRow = {
  order_id: string;
  customer_id: string;
  order_ts: Date;
  status: OrderStatus;
  channel: string;
  currency: string;
  total_amount: number;
  line_count: number;
  promo_codes: readonly string[];
  shipping_country: string;
  order_date: IsoDate;
};

export type OrderLineRow = {
  order_id: string;
  line_number: number;
  sku: string;
  quantity: number;
  unit_price: number;
  discount_pct: number;
  line_amount: number;
  order_date: IsoDate;
};

export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'returned' | 'cancelled';

/** What happened to the order's parcel, for the shipping domain. */
export interface Fulfilment {
  readonly warehouseId: string;
  readonly shippedTs: Date;
  /** Set once delivered. */
  readonly deliveredTs: Date | null;
  readonly parcelStatus: 'in_transit' | 'delivered' | 'returned_to_sender';
}

export interface PlacedOrder {
  readonly header: OrderRow;
  readonly lines: readonly OrderLineRow[];
  readonly fulfilment?: Fulfilment;
}

/** About 8,000 orders over 30 days at scale 1. */
export const BASE_ORDERS_PER_DAY = 8_000 / 30;

/** Sunday .. Saturday: weekends sell more. */
const WEEKDAY_FACTOR = [1.15, 0.9, 0.92, 0.95, 1.0, 1.05, 1.2] as const;
/** Orders by hour of day (UTC): quiet at night, peaks at lunch and in the evening. */
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 7, 6, 6, 6, 7, 9, 11, 12, 10, 7, 4] as const;
const CHANNELS = [['web', 45], ['ios', 25], ['android', 20], ['marketplace', 10]] as const;
const LINES_PER_ORDER = [[1, 35], [2, 25], [3, 18], [4, 12], [5, 6], [6, 4]] as const;
const QUANTITY = [[1, 70], [2, 20], [3, 6], [4, 2], [5, 2]] as const;
/** Promotion codes and the discount they give on every line. */
const PROMOTIONS: Readonly<Record<string, number>> = { WELCOME10: 10, VIP15: 15, AUTUMN20: 20, FREESHIP: 0 };
/** Fixed list-price conversion from EUR, rounded to the cent. */
const EXCHANGE_RATE: Readonly<Record<Country['currency'], number>> = { EUR: 1, GBP: 0.86, SEK: 11.45, PLN: 4.28 };

export function generateOrders(world: World, customers: readonly CustomerProfileRow[]): PlacedOrder[] {
  const random = createRandom(world.seed, 'orders');
  const countries = new Map(world.countries.map((c) => [c.code, c]));
  const signupDays = customers.map((c) => parseIsoDate(c.signup_date));
  const cutoff = startOfDay(world.lastDay + 1);
  const orders: PlacedOrder[] = [];
  let sequence = 0;

  for (let day = world.firstDay; day <= world.lastDay; day++) {
    // Customers who signed up before this day; they are in sign-up order.
    let eligible = 0;
    while (eligible < customers.length && (signupDays[eligible] ?? Infinity) < day) eligible++;
    const count = Math.max(
      1,
      Math.round(BASE_ORDERS_PER_DAY * world.scale * (WEEKDAY_FACTOR[weekday(day)] ?? 1) * random.number.float({ min: 0.9, max: 1.1 })),
    );
    const times = Array.from({ length: count }, () => orderTime(random, day)).sort((a, b) => a.getTime() - b.getTime());
    for (const orderTs of times) {
      sequence += 1;
      const customer = customers[random.number.int({ min: 0, max: eligible - 1 })];
      if (!customer) throw new Error(`no customer signed up before ${formatIsoDate(day)}`);
      const country = countries.get(customer.country_code);
      if (!country) throw new Error(`customer ${customer.customer_id} has unknown country ${customer.country_code}`);
      orders.push(placeOrder(random, world, { orderId: `O${String(sequence).padStart(8, '0')}`, orderTs, customer, country, cutoff }));
    }
  }
  return orders;
}

function orderTime(random: Random, day: number): Date {
  const hour = weighted(random, HOUR_WEIGHTS.map((w, h) => [h, w] as const));
  const second = random.number.int({ min: 0, max: 3_599 });
  return addMs(startOfDay(day), hour * MS_PER_HOUR + second * 1_000);
}

interface OrderInput {
  readonly orderId: string;
  readonly orderTs: Date;
  readonly customer: CustomerProfileRow;
  readonly country: Country;
  /** Start of asOf: nothing after it has happened yet. */
  readonly cutoff: Date;
}

function placeOrder(random: Random, world: World, input: OrderInput): PlacedOrder {
  const { orderId, orderTs, customer, country, cutoff } = input;
  const orderDate = formatIsoDate(dayOf(orderTs));
  const promoCodes = chance(random, 0.18)
    ? random.helpers.arrayElements(Object.keys(PROMOTIONS), { min: 1, max: 2 }).sort()
    : [];
  const promoDiscount = Math.max(0, ...promoCodes.map((code) => PROMOTIONS[code] ?? 0));

  const lineCount = weighted(random, LINES_PER_ORDER);
  const skus = pickDistinctSkus(random, world.skus, lineCount);
  const lines = skus.map((sku, i): OrderLineRow => {
    const quantity = weighted(random, QUANTITY);
    const unitPriceCents = Math.round(sku.unitPriceCents * EXCHANGE_RATE[country.currency]);
    // Clearance items carry their own discount when no promotion applies.
    const discountPct = promoDiscount > 0 ? promoDiscount : chance(random, 0.05) ? weighted(random, [[30, 2], [50, 1]]) : 0;
    const lineCents = Math.round((quantity * unitPriceCents * (100 - discountPct)) / 100);
    return {
      order_id: orderId,
      line_number: i + 1,
      sku: sku.sku,
      quantity,
      unit_price: unitPriceCents / 100,
      discount_pct: discountPct,
      line_amount: lineCents / 100,
      order_date: orderDate,
    };
  });
  const totalCents = lines.reduce((sum, line) => sum + Math.round(line.line_amount * 100), 0);

  const { status, fulfilment } = fulfil(random, world, country, orderTs, cutoff);
  const header: OrderRow = {
    order_id: orderId,
    customer_id: customer.customer_id,
    order_ts: orderTs,
    status,
    channel: weighted(random, CHANNELS),
    currency: country.currency,
    total_amount: totalCents / 100,
    line_count: lines.length,
    promo_codes: promoCodes,
    shipping_country: country.code,
    order_date: orderDate,
  };
  return fulfilment ? { header, lines, fulfilment } : { header, lines };
}

/** Popular SKUs sell more: low catalogue positions are drawn more often. */
function pickDistinctSkus(random: Random, skus: readonly Sku[], count: number): Sku[] {
  const picked = new Map<string, Sku>();
  while (picked.size < Math.min(count, skus.length)) {
    const index = Math.floor(skus.length * random.number.float({ min: 0, max: 1 }) ** 2);
    const sku = skus[Math.min(index, skus.length - 1)];
    if (sku) picked.set(sku.sku, sku);
  }
  return [...picked.values()];
}

/** The order's status as of the cutoff, and its parcel's timeline when it has left a warehouse. */
function fulfil(
  random: Random,
  world: World,
  country: Country,
  orderTs: Date,
  cutoff: Date,
): { status: OrderStatus; fulfilment?: Fulfilment } {
  if (chance(random, 0.03)) return { status: 'cancelled' };
  if (orderTs.getTime() + 2 * MS_PER_HOUR > cutoff.getTime()) return { status: 'placed' };
  // Usually the country's own warehouse; another one when it is out of stock.
  const warehouseId = chance(random, 0.85)
    ? country.warehouseId
    : random.helpers.arrayElement(world.warehouses.filter((w) => w.warehouseId !== country.warehouseId)).warehouseId;
  const shippedTs = addMs(orderTs, random.number.int({ min: 4 * 60, max: 40 * 60 }) * 60_000);
  if (shippedTs >= cutoff) return { status: 'paid' };

  const domestic = warehouseId === country.warehouseId;
  const transitMs = random.number.int({ min: domestic ? 18 * 60 : 36 * 60, max: domestic ? 72 * 60 : 120 * 60 }) * 60_000;
  const deliveredTs = addMs(shippedTs, transitMs);
  if (chance(random, 0.015)) {
    // Undeliverable: the carrier gives up after five days and sends the parcel back.
    return shippedTs.getTime() + 5 * MS_PER_DAY < cutoff.getTime()
      ? { status: 'returned', fulfilment: { warehouseId, shippedTs, deliveredTs: null, parcelStatus: 'returned_to_sender' } }
      : { status: 'shipped', fulfilment: { warehouseId, shippedTs, deliveredTs: null, parcelStatus: 'in_transit' } };
  }
  if (deliveredTs >= cutoff) {
    return { status: 'shipped', fulfilment: { warehouseId, shippedTs, deliveredTs: null, parcelStatus: 'in_transit' } };
  }
  return {
    // A few customers send delivered goods back.
    status: chance(random, 0.04) ? 'returned' : 'delivered',
    fulfilment: { warehouseId, shippedTs, deliveredTs, parcelStatus: 'delivered' },
  };
}

export function orderRows(orders: readonly PlacedOrder[]): OrderRow[] {
  return orders.map((o) => o.header);
}

export function orderLineRows(orders: readonly PlacedOrder[]): OrderLineRow[] {
  return orders.flatMap((o) => o.lines);
}
