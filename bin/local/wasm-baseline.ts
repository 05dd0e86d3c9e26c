/**
 * WebAssembly on V8's baseline compiler only, for short CLI runs. The polyglot-sql transpiler
 * (Athena SQL to DuckDB's, for views and local queries) is a large WebAssembly module; V8 compiles
 * the functions it calls with Liftoff, then recompiles hot ones with TurboFan on background threads
 * (https://v8.dev/docs/wasm-compilation-pipeline), and Node waits for those tasks before the process
 * may exit. `tessera validate mesh/` translates two view statements, then sat 1-4 s idle waiting
 * for that recompilation on a loaded 2-core machine (CPU profile: "(idle)" until exit; the same
 * script exited right after its work with --liftoff-only). The CLI translates a handful of
 * statements per run, where Liftoff's code is fast enough.
 *
 * Set before anything compiles WebAssembly (the transpiler is imported only when a command needs
 * it); Node documents flags set after start-up as best effort
 * (https://nodejs.org/api/v8.html#v8setflagsfromstringflags), which holds for a flag V8 reads
 * when it compiles a module.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
