/** Runs every benchmark and prints its figures. */
import { benchContractValidation } from './contract-validation.js';

console.log(`tessera benchmarks — node ${process.version}, ${new Date().toISOString()}`);
await benchContractValidation();
