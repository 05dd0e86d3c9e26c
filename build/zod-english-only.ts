/**
 * An esbuild plugin that gives zod's locale barrel (`zod/v4/locales/index.js`) only the English
 * locale, the one zod configures by default and the only one Tessera's messages use.
 *
 * zod's classic and core entries both `export * as locales from "../locales/index.js"`; esbuild
 * cannot drop unused members of a re-exported namespace, so every bundle that imports zod carried
 * all of its ~50 locales: 258 KiB of the 443 KiB zod added to each Lambda bundle (measured with an
 * esbuild metafile). The problem and this remedy are described in zod's issue
 * https://github.com/colinhacks/zod/issues/6050 (closed by #6384, which fixed Rollup and Webpack
 * but not esbuild). `z.locales.en` still exists; `z.locales.<other>` is undefined in the bundles.
 */
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';

const BARREL = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: BARREL }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};
