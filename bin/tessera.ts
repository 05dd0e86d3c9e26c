#!/usr/bin/env node
import './local/stdout-pipe.js';
import './local/node-warnings.js';
import './local/wasm-baseline.js';
import './local/handler-logs.js';
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
