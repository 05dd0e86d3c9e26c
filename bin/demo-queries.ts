/** The queries `npm run demo` runs with `tessera query` (Athena SQL), shared with the Trino tier that proves them on Trino. */

/** Stock per warehouse (inventory) next to parcels shipped in the last 7 days (shipping). */
export const CROSS_PRODUCT_QUERY =
  'WITH latest AS (SELECT max(snapshot_date) AS d FROM inventory.stock_levels), ' +
  'stock AS (SELECT warehouse_id, sum(on_hand) AS units_on_hand FROM inventory.stock_levels WHERE snapshot_date = (SELECT d FROM latest) GROUP BY 1), ' +
  "shipped AS (SELECT warehouse_id, count(*) AS parcels_last_7_days FROM shipping.shipments WHERE ship_date > (SELECT d FROM latest) - INTERVAL '7' DAY GROUP BY 1) " +
  'SELECT st.warehouse_id, st.units_on_hand, sh.parcels_last_7_days FROM stock st LEFT JOIN shipped sh ON sh.warehouse_id = st.warehouse_id ORDER BY 1';

/** The same warehouses through a mesh view. */
export const VIEW_QUERY = 'SELECT warehouse_id, sum(parcels) AS parcels, sum(units) AS units FROM ecommerce_views.warehouse_daily_shipments GROUP BY 1 ORDER BY 1';
