// The reference side of the differential test: runs wasm modules in Node's
// V8 and prints what every exported function did, in the same canonical form
// as exec_harness.cpp (see there): a fresh instance per call (or one for all
// with --shared-instance), every exported function called once in export
// order with every parameter zero, floats as
// bit patterns (NaN as `nan`), traps as categories, fuzzing-support imports
// logged.
//
//   node reference.mjs [--shared-instance] FILE.wasm...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

// --- A minimal reader of the sections we need: types, imports, functions, exports.

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

function readSignatures(bytes) {
  let pos = 8;
  const u8 = () => bytes[pos++];
  const uleb = () => {
    let result = 0, shift = 0, b;
    do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  const name = () => { const n = uleb(); const s = Buffer.from(bytes.subarray(pos, pos + n)).toString('utf8'); pos += n; return s; };
  const limits = () => { const flags = u8(); uleb(); if (flags & 1) uleb(); };
  const types = [], funcTypes = [], funcImports = [];
  while (pos < bytes.length) {
    const id = u8(), size = uleb(), end = pos + size;
    if (id === 1) {
      for (let n = uleb(); n > 0; --n) {
        if (u8() !== 0x60) throw new Error('unexpected type form');
        const params = []; for (let k = uleb(); k > 0; --k) params.push(VALTYPES[u8()]);
        const results = []; for (let k = uleb(); k > 0; --k) results.push(VALTYPES[u8()]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = uleb(); n > 0; --n) {
        const module = name(), field = name(), kind = u8();
        if (kind === 0) { const t = uleb(); funcTypes.push(t); funcImports.push({ module, field, type: types[t] }); }
        else if (kind === 1) { u8(); limits(); }
        else if (kind === 2) { limits(); }
        else if (kind === 3) { u8(); u8(); }
        else throw new Error('unexpected import kind ' + kind);
      }
    } else if (id === 3) {
      for (let n = uleb(); n > 0; --n) funcTypes.push(uleb());
    }
    pos = end;
  }
  return { types, funcTypes, funcImports };
}

// --- Canonical values.

const scratch = new DataView(new ArrayBuffer(8));
function formatValue(type, v) {
  switch (type) {
    case 'i32': return `i32:${v | 0}`;
    case 'i64': return `i64:${BigInt.asIntN(64, v)}`;
    case 'f32':
      if (Number.isNaN(v)) return 'f32:nan';
      scratch.setFloat32(0, v);
      return 'f32:0x' + scratch.getUint32(0).toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(v)) return 'f64:nan';
      scratch.setFloat64(0, v);
      return 'f64:0x' + scratch.getBigUint64(0).toString(16).padStart(16, '0');
    case 'funcref': case 'externref': return v === null ? 'ref:null' : 'ref:nonnull';
    default: return `${type}:?`;
  }
}

function zeroOf(type) {
  switch (type) {
    case 'i64': return 0n;
    case 'funcref': case 'externref': return null;
    default: return 0;
  }
}

// V8's wording -> the categories exec_harness.cpp prints.
function trapCategory(e) {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'trap:stack';
  if (!(e instanceof WebAssembly.RuntimeError)) return `jserror:${e.constructor.name}: ${e.message}`;
  const m = e.message;
  if (/unreachable/.test(m)) return 'trap:unreachable';
  if (/unaligned/.test(m)) return 'trap:unaligned';
  if (/memory access out of bounds|data segment.*out of bounds|out of bounds memory/.test(m)) return 'trap:memory';
  if (/divide by zero|remainder by zero/.test(m)) return 'trap:div0';
  if (/divide result unrepresentable|integer overflow|float unrepresentable in integer range/.test(m)) return 'trap:overflow';
  if (/null function or function signature mismatch|function signature mismatch|null function/.test(m)) return 'trap:indirect';
  if (/table index is out of bounds|table access out of bounds|element segment out of bounds|out of bounds table/.test(m)) return 'trap:table';
  return `trap:other(${m})`;
}

function runModule(path) {
  const lines = [`module ${basename(path)}`];
  const bytes = readFileSync(path);
  const sig = readSignatures(bytes);
  const module = new WebAssembly.Module(bytes);
  const imports = {};
  for (const imp of sig.funcImports) {
    if (imp.module !== 'fuzzing-support') continue;
    (imports[imp.module] ??= {})[imp.field] = (...args) => {
      lines.push(['log', ...imp.type.params.map((t, i) => formatValue(t, args[i]))].join(' '));
      return imp.type.results.length === 1 ? zeroOf(imp.type.results[0]) : undefined;
    };
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) lines.push(`link-error: ${e.message}`);
    else lines.push(`instantiate -> ${trapCategory(e)}`);
    return lines;
  }
  const exportIndices = readExportIndices(bytes);
  let first = true;
  for (const exp of WebAssembly.Module.exports(module)) {
    if (exp.kind !== 'function') continue;
    if (!first && !sharedInstance) instance = new WebAssembly.Instance(module, imports);
    first = false;
    const type = sig.types[sig.funcTypes[exportIndices.get(exp.name)]];
    if ([...type.params, ...type.results].includes('v128')) {
      // JS cannot pass or receive a v128; exec_harness prints the same line.
      lines.push(`call ${exp.name} -> v128-signature`);
      continue;
    }
    const args = type.params.map(zeroOf);
    let line = `call ${exp.name} ->`;
    try {
      const r = instance.exports[exp.name](...args);
      const values = type.results.length === 1 ? [r] : type.results.length === 0 ? [] : r;
      type.results.forEach((t, i) => { line += ' ' + formatValue(t, values[i]); });
    } catch (e) {
      line += ' ' + trapCategory(e);
    }
    lines.push(line);
  }
  return lines;
}

// Export name -> function index (the export section, read separately).
function readExportIndices(bytes) {
  const map = new Map();
  let pos = 8;
  const uleb = () => {
    let result = 0, shift = 0, b;
    do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  while (pos < bytes.length) {
    const id = bytes[pos++], size = uleb(), end = pos + size;
    if (id === 7) {
      for (let n = uleb(); n > 0; --n) {
        const len = uleb(); const nm = Buffer.from(bytes.subarray(pos, pos + len)).toString('utf8'); pos += len;
        const kind = bytes[pos++]; const index = uleb();
        if (kind === 0) map.set(nm, index);
      }
    }
    pos = end;
  }
  return map;
}

const sharedInstance = process.argv.includes('--shared-instance');
// --exact-trap-state is a compiler flag for wasmaot's harness; V8 ignores it.
for (const path of process.argv.slice(2).filter((a) => a !== '--shared-instance' && a !== '--exact-trap-state')) {
  let lines;
  try {
    lines = runModule(path);
  } catch (e) {
    lines = [`module ${basename(path)}`, `reference-error: ${e.message}`];
  }
  process.stdout.write(lines.join('\n') + '\n');
}
