/**
 * Who reads orders.order_lines.quantity in the example mesh, written out by hand from mesh/mesh.yaml:
 * the two views' SQL (`sum(l.quantity)`, and `coalesce(sold.units_ordered, 0)` over the CTE's
 * `sum(l.quantity)`) and the consumers granted the orders domain's `internal` class.
 */
export const QUANTITY_IMPACT: readonly string[] = [
  'impact: orders.order_lines.quantity is read by:',
  '  view column ecommerce_views.warehouse_daily_shipments.units [DIRECT AGGREGATION]',
  '  view column ecommerce_views.stock_cover.units_ordered [DIRECT AGGREGATION, INDIRECT CONDITIONAL]',
  '  consumer analysts (grant analysts#1)',
  '  consumer customer-service (grant customer-service#2)',
  '  consumer supply-chain (grant supply-chain#2)',
  '  consumer shipping-pipelines (grant shipping-pipelines#1)',
];

/** The lines as printed at `indent`. */
export function indented(lines: readonly string[], indent: string): string[] {
  return lines.map((l) => `${indent}${l}`);
}
