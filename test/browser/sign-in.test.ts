/**
 * The deployed pages' sign-in, as far as it can run without AWS: with `signIn` in config.json no
 * API is called before sign-in, and the browser goes to the hosted sign-in's authorize endpoint with
 * the authorization code flow and a PKCE challenge derived from the verifier it kept. The sign-in
 * service itself is not here: the authorize request is only recorded (Playwright's routing).
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../support/browser.js';
import { startWebCatalog, type WebCatalog } from '../support/web-catalog.js';

const DOMAIN = 'https://ecommerce-catalog.auth.eu-west-1.amazoncognito.com';
const signIn = { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'pages-client', identityPoolId: 'eu-west-1:pool', domain: DOMAIN, apiHost: 'abc123.execute-api.eu-west-1.amazonaws.com', apiStage: 'v1' };

let web: WebCatalog;
let browser: Browser;
let page: Page;
const apiCalls: string[] = [];

beforeAll(async () => {
  web = await startWebCatalog();
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ api: 'api/', signIn }) }));
  await page.route('**/api/**', (route) => {
    apiCalls.push(route.request().url());
    return route.abort();
  });
  await page.route(`${DOMAIN}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sign in</title>' }));
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('the deployed pages without a signed-in user', () => {
  it('call no API and go to the hosted sign-in first, with a PKCE challenge', async () => {
    await page.goto(`${web.url}#/products/stock-levels`);
    await page.waitForURL(`${DOMAIN}/oauth2/authorize?**`);
    const authorize = new URL(page.url());
    const { code_challenge: challenge, ...params } = Object.fromEntries(authorize.searchParams);
    expect(params).toEqual({ response_type: 'code', client_id: 'pages-client', redirect_uri: web.url, scope: 'openid email', code_challenge_method: 'S256' });
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(apiCalls).toEqual([]);
    // The verifier stayed with the site (sessionStorage of its origin); its SHA-256 is the challenge.
    await page.goto(`${web.url}missing-on-purpose`);
    const kept = await page.evaluate<[string | null, string | null]>(`[sessionStorage.getItem('tessera.pkceVerifier'), sessionStorage.getItem('tessera.returnTo')]`);
    expect(kept[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(createHash('sha256').update(kept[0]!).digest('base64url')).toBe(challenge);
    expect(kept[1]).toBe('#/products/stock-levels');
  });
});
