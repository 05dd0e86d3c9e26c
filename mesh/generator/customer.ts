/** Rows of the customer domain: customer/customer-profiles (table customer_profiles). */
import { addMs, formatIsoDate, MS_PER_DAY, startOfDay, type IsoDate } from './calendar.js';
import { chance, createRandom, weighted } from './random.js';
import type { World } from './world.js';

export type CustomerProfileRow = {
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  country_code: string;
  segment: string;
  signup_date: IsoDate;
  marketing_opt_in: boolean;
  updated_at: Date;
};

export const BASE_CUSTOMERS = 2_000;
const HISTORY_DAYS = 3 * 365;
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** Customers in sign-up order (ids increase with sign-up time). */
export function generateCustomerProfiles(world: World): CustomerProfileRow[] {
  const random = createRandom(world.seed, 'customer-profiles');
  const count = Math.max(20, Math.round(BASE_CUSTOMERS * world.scale));
  const oldest = world.lastDay - HISTORY_DAYS;
  const signupDays = Array.from({ length: count }, () =>
    chance(random, 0.12)
      ? random.number.int({ min: world.firstDay, max: world.lastDay })
      : random.number.int({ min: oldest, max: world.firstDay - 1 }),
  ).sort((a, b) => a - b);
  // Someone always signs up on the last day, so the snapshot's newest change is fresh; the oldest
  // account predates the window, so the first day's orders have a customer.
  signupDays[0] = oldest;
  signupDays[count - 1] = world.lastDay;
  const endOfData = startOfDay(world.lastDay + 1).getTime() - 1_000;

  return signupDays.map((signupDay, i) => {
    const country = weighted(random, world.countries.map((c) => [c, c.weight] as const));
    const firstName = random.person.firstName();
    const lastName = random.person.lastName();
    const signupTs = addMs(startOfDay(signupDay), random.number.int({ min: 0, max: MS_PER_DAY / 1000 - 1 }) * 1000);
    // Skewed towards recent changes: most profiles were touched lately, a few not since sign-up.
    const sinceSignup = endOfData - signupTs.getTime();
    const updatedAt = addMs(signupTs, Math.floor(sinceSignup * (1 - random.number.float({ min: 0, max: 1 }) ** 2) / 1000) * 1000);
    const recent = signupDay > world.lastDay - 60;
    return {
      customer_id: `C${String(i + 1).padStart(7, '0')}`,
      first_name: firstName,
      last_name: lastName,
      email: emailAddress(firstName, lastName, i + 1, random.helpers.arrayElement(EMAIL_DOMAINS)),
      phone: chance(random, 0.82) ? `+${country.callingCode}${random.string.numeric({ length: 9, allowLeadingZeros: false })}` : null,
      country_code: country.code,
      segment: recent ? 'new' : weighted(random, [['regular', 70], ['vip', 10], ['at_risk', 20]]),
      signup_date: formatIsoDate(signupDay),
      marketing_opt_in: chance(random, 0.55),
      updated_at: updatedAt,
    };
  });
}

/** `first.last<n>@domain`, ASCII lower case; `n` keeps addresses unique. */
function emailAddress(firstName: string, lastName: string, n: number, domain: string): string {
  const ascii = (name: string): string =>
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '') || 'customer';
  return `${ascii(firstName)}.${ascii(lastName)}${n}@${domain}`;
}
