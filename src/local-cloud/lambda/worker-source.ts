// The Lambda runtime that runs inside each worker thread. It is a string evaluated with
// `new Worker(code, { eval: true })` because tests run the TypeScript sources directly and a
// .ts worker file could not be loaded by Node. Plain CommonJS, no imports from regionctl.
//
// workerData: { dir, handler }. Messages in: { id, event, context }. Messages out:
// { type: 'start', id } (first invocation only: handler loaded, the timeout starts), { type: 'log', id, line } and { type: 'result', id, ok, payload? , error? }.
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');
const { createRequire } = require('node:module');

let current = null; // { id, requestId, clockOffset }
let handlerPromise = null;
let started = false;

function stamp() {
  const offset = current ? current.clockOffset : 0;
  return new Date(Date.now() + offset).toISOString();
}
function emit(level, args) {
  const id = current ? current.id : null;
  const requestId = current ? current.requestId : 'undefined';
  const text = util.format(...args);
  parentPort.postMessage({ type: 'log', id, line: stamp() + '\t' + requestId + '\t' + level + '\t' + text + '\n' });
}
console.log = (...a) => emit('INFO', a);
console.info = (...a) => emit('INFO', a);
console.warn = (...a) => emit('WARN', a);
console.error = (...a) => emit('ERROR', a);
console.debug = (...a) => emit('DEBUG', a);
console.trace = (...a) => emit('TRACE', a);

class RuntimeError extends Error {
  constructor(type, message) { super(message); this.name = type; }
}

function isEsmJs(file) {
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (dir === workerData.dir || path.dirname(dir) === dir) return false;
    dir = path.dirname(dir);
  }
}

async function loadHandler() {
  const spec = workerData.handler;
  const slash = spec.lastIndexOf('/');
  const base = spec.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0) throw new RuntimeError('Runtime.MalformedHandlerName', "Bad handler");
  const moduleName = spec.slice(0, slash + 1) + base.slice(0, dot);
  const exportPath = base.slice(dot + 1).split('.');
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => path.join(workerData.dir, moduleName + ext));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'\nRequire stack:\n- /var/runtime/index.mjs");
  }
  let mod;
  try {
    if (file.endsWith('.mjs') || (file.endsWith('.js') && isEsmJs(file))) {
      mod = await import(pathToFileURL(file).href);
    } else {
      try {
        mod = createRequire(file)(file);
      } catch (err) {
        if (err && err.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(file).href);
        else throw err;
      }
    }
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(err));
    if (err && err.code === 'MODULE_NOT_FOUND') throw new RuntimeError('Runtime.ImportModuleError', String(err));
    throw err;
  }
  let fn = mod;
  for (const key of exportPath) fn = fn == null ? undefined : fn[key];
  if (fn === undefined && mod && mod.default && !file.endsWith('.mjs')) {
    fn = mod.default;
    for (const key of exportPath) fn = fn == null ? undefined : fn[key];
  }
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', moduleName + '.' + exportPath.join('.') + ' is undefined or not exported');
  }
  return fn;
}

function describe(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || (err.constructor && err.constructor.name) || 'Error',
      errorMessage: err.message,
      trace: String(err.stack || '').split('\n'),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function runHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err); else resolve(value);
    };
    const ctx = Object.assign({}, context, {
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, context.deadlineWallMs - Date.now()),
      done: callback,
      succeed: (v) => callback(null, v),
      fail: (e) => callback(e),
    });
    let out;
    try {
      out = fn(event, ctx, callback);
    } catch (err) {
      callback(err);
      return;
    }
    if (out && typeof out.then === 'function') {
      out.then((v) => callback(null, v), (e) => callback(e === undefined || e === null ? new Error(String(e)) : e));
    } else if (fn.length < 3) {
      callback(null, undefined);
    }
  });
}

process.on('unhandledRejection', (reason) => {
  const d = describe(reason);
  if (current) {
    parentPort.postMessage({ type: 'result', id: current.id, ok: false, fatal: true,
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: d.errorType + ': ' + d.errorMessage, trace: d.trace } });
  }
});

// The function's resolver: names the local cloud serves are answered as clients in the function's
// region are answered (by the parent, through messages); anything else goes to the host's resolver.
// Explicit node:dns calls only (lookup, resolve, resolve4/6, resolveCname and their promises forms):
// sockets opened by http/fetch resolve through Node internals this cannot reach.
const dns = require('node:dns');
const dnsPending = new Map();
let dnsSeq = 0;
function regional(name, rrtype) {
  if (!current || typeof name !== 'string') return Promise.resolve(null);
  return new Promise((resolve) => {
    const dnsId = ++dnsSeq;
    dnsPending.set(dnsId, resolve);
    parentPort.postMessage({ type: 'dns', id: current.id, dnsId, name, rrtype });
  });
}
function dnsError(code, syscall, name) {
  const e = new Error(syscall + ' ' + code + ' ' + name);
  e.code = code; e.errno = undefined; e.syscall = syscall; e.hostname = name;
  return e;
}
function answered(answer, syscall, name) {
  if (answer.rcode === 'NXDOMAIN') throw dnsError('ENOTFOUND', syscall, name);
  if (answer.records.length === 0) throw dnsError('ENODATA', syscall, name);
  return answer.records;
}
const original = { lookup: dns.lookup, resolve: dns.resolve, promises: { ...dns.promises } };
for (const [method, rrtype] of [['resolve4', 'A'], ['resolve6', 'AAAA'], ['resolveCname', 'CNAME']]) {
  const cbForm = dns[method];
  const promiseForm = dns.promises[method];
  dns.promises[method] = async (name, ...rest) => {
    const answer = await regional(name, rrtype);
    return answer ? answered(answer, 'query' + rrtype, name) : promiseForm.call(dns.promises, name, ...rest);
  };
  dns[method] = (name, ...rest) => {
    const cb = rest[rest.length - 1];
    regional(name, rrtype).then((answer) => {
      if (!answer) return cbForm.call(dns, name, ...rest);
      try { cb(null, answered(answer, 'query' + rrtype, name)); } catch (e) { cb(e); }
    });
  };
}
dns.promises.resolve = async (name, rrtype = 'A') => {
  const answer = ['A', 'AAAA', 'CNAME'].includes(rrtype) ? await regional(name, rrtype) : null;
  return answer ? answered(answer, 'query' + rrtype, name) : original.promises.resolve.call(dns.promises, name, rrtype);
};
function lookupFamily(options) {
  const o = typeof options === 'number' ? { family: options } : options || {};
  return { family: o.family === 6 || o.family === 'IPv6' ? 6 : 4, all: Boolean(o.all) };
}
dns.promises.lookup = async (name, options) => {
  const { family, all } = lookupFamily(options);
  const answer = await regional(name, family === 6 ? 'AAAA' : 'A');
  if (!answer) return original.promises.lookup.call(dns.promises, name, options);
  const addresses = answered(answer, 'getaddrinfo', name).map((address) => ({ address, family }));
  return all ? addresses : addresses[0];
};
dns.lookup = (name, options, cb) => {
  const callback = typeof options === 'function' ? options : cb;
  const opts = typeof options === 'function' ? {} : options;
  dns.promises.lookup(name, opts).then(
    (r) => (Array.isArray(r) ? callback(null, r) : callback(null, r.address, r.family)),
    (e) => callback(e),
  );
};

parentPort.on('message', async (msg) => {
  if (msg.type === 'dns-answer') {
    const resolve = dnsPending.get(msg.dnsId);
    dnsPending.delete(msg.dnsId);
    if (resolve) resolve(msg.answer);
    return;
  }
  current = { id: msg.id, requestId: msg.context.awsRequestId, clockOffset: msg.clockOffset };
  try {
    if (!handlerPromise) handlerPromise = loadHandler();
    const fn = await handlerPromise;
    const event = JSON.parse(msg.event);
    // Once per worker: the handler is loaded (the parent then times every later invocation from its dispatch).
    if (!started) {
      started = true;
      parentPort.postMessage({ type: 'start', id: msg.id });
    }
    const value = await runHandler(fn, event, msg.context);
    const payload = value === undefined ? 'null' : JSON.stringify(value);
    parentPort.postMessage({ type: 'result', id: msg.id, ok: true, payload: payload === undefined ? 'null' : payload });
  } catch (err) {
    const d = describe(err);
    const error = d.errorType.startsWith('Runtime.') ? { errorType: d.errorType, errorMessage: d.errorMessage } : d;
    parentPort.postMessage({ type: 'result', id: msg.id, ok: false, fatal: d.errorType.startsWith('Runtime.'), error });
  } finally {
    current = null;
  }
});
`;
