#!/usr/bin/env node
// Load driver for scripts/bench-load.sh: registrations and events through the gateway's HTTP API at several
// concurrency levels, and the same calls signed and sent directly to the chain (one transaction per call, no
// gateway) in the same run. Prints one JSON line per measurement.
// Each line also carries the CPU time per write the phase cost each process (gateway, chain node, this driver), read
// from /proc: on a machine shared with other work, wall-clock rates move with the load, CPU per write much less.
// Usage: node scripts/bench-load.js --base URL --admin-key KEY --rpc URL --deployment FILE [--levels 1,16,64] [--per-client 10]
//        [--gateway-pid PID] [--chain-pid PID] [--paths gateway,direct] [--warmup N]
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const nodeHttp = require('http');
const { ethers } = require('ethers');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const BASE = args.base;
const ADMIN = args['admin-key'];
const LEVELS = (args.levels || '1,16,64').split(',').map(Number);
const PER_CLIENT = Number(args['per-client'] || 10);
const PATHS = (args.paths || 'gateway,direct').split(',');
// Warm-up: calls per client at concurrency WARMUP_CLIENTS through the gateway before any measured phase, not measured
// (a long-running gateway has its hot code compiled by the JIT's optimizing tier; a fresh process has not).
const WARMUP = Number(args.warmup || 0);
const WARMUP_CLIENTS = 16;
const DEPLOYMENT = JSON.parse(fs.readFileSync(args.deployment, 'utf8'));
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ABI = [
  'function register(bytes32 id, bytes32 recordHash, address[] makers, address claimSigner)',
  'function appendEvent(bytes32 id, uint8 kind, bytes32 recordHash)',
  'function grantRole(bytes32 role, address account)',
  'function ARTISAN_ROLE() view returns (bytes32)',
  'function REGISTRAR_ROLE() view returns (bytes32)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
];

const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : 0; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 10; // USER_HZ = 100 on Linux
const PIDS = { gateway: args['gateway-pid'], chain: args['chain-pid'] };
// CPU milliseconds used so far by each watched process and by this driver.
function cpuNow() {
  const out = {};
  for (const [name, pid] of Object.entries(PIDS)) {
    if (!pid) continue;
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[name] = (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime
    } catch { /* not Linux, or the process is gone */ }
  }
  const u = process.cpuUsage();
  out.driver = (u.user + u.system) / 1000;
  return out;
}
// Adds cpu<Name>MsPerWrite fields for the phase since `before`.
function withCpu(result, before) {
  const after = cpuNow();
  for (const name of Object.keys(after)) {
    if (before[name] === undefined) continue;
    result[`cpu${name[0].toUpperCase()}${name.slice(1)}MsPerWrite`] = (after[name] - before[name]) / result.writes;
  }
  return result;
}

// Node's http module over kept-alive connections: the driver shares the cores with the gateway and the node, and
// fetch (undici) spent about twice the CPU per call.
const AGENT = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1024 });
function http(method, path, key, body) {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const headers = { ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
    ...(key ? { authorization: `Bearer ${key}` } : {}) };
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request(BASE + path, { method, headers, agent: AGENT }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try { resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

// After the warm-up: waits until the gateway is idle (under 5% of a core over 500 ms, at most 15 s), i.e. its JIT has
// compiled in the background the methods the warm-up made hot. Returns the time waited (ms).
async function settle() {
  const t0 = now();
  if (!PIDS.gateway) return 0;
  while (now() - t0 < 15000) {
    const a = cpuNow().gateway;
    await sleep(500);
    if (cpuNow().gateway - a < 25) break;
  }
  return Math.round(now() - t0);
}

async function waitConfirmed(ids) {
  const left = new Set(ids);
  const done = new Map();
  while (left.size) {
    const batch = [...left].slice(0, 64);
    await Promise.all(batch.map(async (id) => {
      const r = await http('GET', `/api/operations/${id}`);
      const s = r.json && r.json.status;
      if (s === 'confirmed' || s === 'failed') { left.delete(id); done.set(id, { status: s, at: now() }); }
    }));
    if (left.size) await sleep(20);
  }
  return done;
}

async function onboard(n) {
  const actors = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const r = await http('POST', '/api/actors/artisans', ADMIN, {
      name: `Bench artisan ${i}`, craft: 'kani', cluster: 'Kanihama', village: 'Kanihama', visibility: { name: true, village: true },
    });
    if (r.status !== 201) throw new Error(`onboard: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }));
  await waitConfirmed(actors.map((a) => a.roleOperationId).filter(Boolean));
  return actors;
}

// Runs `perClient` calls per client at concurrency `clients`; `call(client, i)` returns { ackedAt, opId? , confirmedAt? }.
async function runGateway(kind, actors, pieces, perClient = PER_CLIENT) {
  const cpu0 = cpuNow();
  const t0 = now();
  const acks = [];
  const ops = [];
  const started = new Map();
  await Promise.all(actors.map(async (a, c) => {
    for (let i = 0; i < perClient; i++) {
      const s = now();
      const r = kind === 'registration'
        ? await http('POST', '/api/pieces', a.apiKey, { craft: 'kani', title: `Bench ${c}-${i}`, makers: [{ actorId: a.id, part: 'weaver' }], materials: ['pashmina'] })
        : await http('POST', `/api/pieces/${pieces[c][i]}/events`, a.apiKey, { kind: 'note', notes: `Bench note ${i}` });
      if (r.status !== 202) throw new Error(`${kind}: ${r.status} ${JSON.stringify(r.json)}`);
      acks.push(now() - s);
      ops.push({ id: r.json.operationId, code: r.json.code, client: c });
      started.set(r.json.operationId, s);
    }
  }));
  const tAck = now();
  const cpuAck = cpuNow();
  const done = await waitConfirmed(ops.map((o) => o.id));
  const tEnd = Math.max(...[...done.values()].map((d) => d.at));
  const failed = [...done.values()].filter((d) => d.status !== 'confirmed').length;
  const confirmLat = ops.map((o) => done.get(o.id).at - started.get(o.id));
  return {
    result: {
      path: 'gateway', kind, clients: actors.length, writes: ops.length, failed,
      ackPerSec: ops.length / ((tAck - t0) / 1000), confirmedPerSec: ops.length / ((tEnd - t0) / 1000),
      ackP50: pct(acks, 50), ackP99: pct(acks, 99), confirmP50: pct(confirmLat, 50), confirmP99: pct(confirmLat, 99),
      // The gateway's CPU until the last acknowledgement (the rest went to relaying and to answering status polls).
      ...(cpuAck.gateway !== undefined ? { cpuGatewayAckMsPerWrite: (cpuAck.gateway - cpu0.gateway) / ops.length } : {}),
    },
    ops,
  };
}

async function runDirect(kind, wallets, contract, pieces) {
  const t0 = now();
  const acks = [];
  const confirms = [];
  let tAckLast = t0;
  await Promise.all(wallets.map(async (w, c) => {
    const registry = contract.connect(w);
    let nonce = await w.getNonce('pending');
    for (let i = 0; i < PER_CLIENT; i++) {
      const s = now();
      const hash = ethers.keccak256(ethers.toUtf8Bytes(`${kind}-${c}-${i}-${crypto.randomUUID()}`));
      const tx = kind === 'registration'
        ? await registry.register(ethers.keccak256(ethers.toUtf8Bytes(`piece-${crypto.randomUUID()}`)), hash, [w.address], ethers.Wallet.createRandom().address, { nonce: nonce++ })
        : await registry.appendEvent(pieces[c][i], 7, hash, { nonce: nonce++ });
      acks.push(now() - s);
      tAckLast = Math.max(tAckLast, now());
      const receipt = await tx.wait();
      if (receipt.status !== 1) throw new Error(`direct ${kind} reverted`);
      confirms.push(now() - s);
      if (kind === 'registration') (pieces[c] = pieces[c] || []).push(tx.data ? registry.interface.decodeFunctionData('register', tx.data)[0] : null);
    }
  }));
  const tEnd = now();
  const n = wallets.length * PER_CLIENT;
  return {
    path: 'direct', kind, clients: wallets.length, writes: n, failed: 0,
    ackPerSec: n / ((tAckLast - t0) / 1000), confirmedPerSec: n / ((tEnd - t0) / 1000),
    ackP50: pct(acks, 50), ackP99: pct(acks, 99), confirmP50: pct(confirms, 50), confirmP99: pct(confirms, 99),
  };
}

async function directWallets(provider, contract, n) {
  const admin = new ethers.NonceManager(new ethers.Wallet(DEV_KEY, provider));
  const role = await contract.ARTISAN_ROLE();
  const registrar = await contract.REGISTRAR_ROLE();
  const adminAddress = await admin.getAddress();
  if (!(await contract.hasRole(registrar, adminAddress))) {
    await (await contract.connect(admin).grantRole(registrar, adminAddress)).wait(); // artisans are granted by registrars
  }
  const wallets = Array.from({ length: n }, () => ethers.Wallet.createRandom().connect(provider));
  const txs = [];
  for (const w of wallets) {
    txs.push(await admin.sendTransaction({ to: w.address, value: ethers.parseEther('10') }));
    txs.push(await contract.connect(admin).grantRole(role, w.address));
  }
  await Promise.all(txs.map((t) => t.wait()));
  return wallets;
}

(async () => {
  const provider = new ethers.JsonRpcProvider(args.rpc, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  provider.pollingInterval = 20;
  const contract = new ethers.Contract(DEPLOYMENT.address, ABI, provider);
  if (WARMUP > 0) {
    const actors = await onboard(WARMUP_CLIENTS);
    const reg = await runGateway('registration', actors, null, WARMUP);
    const pieces = actors.map((_, c) => reg.ops.filter((o) => o.client === c).map((o) => o.code));
    await runGateway('event', actors, pieces, WARMUP);
    const settled = await settle();
    console.error(`warm-up: ${WARMUP_CLIENTS} clients x ${WARMUP} registrations, then as many events, confirmed (not measured); gateway idle after ${settled} ms`);
  }
  for (const level of LEVELS) {
    const actors = await onboard(level);
    let before = cpuNow();
    const reg = await runGateway('registration', actors, null);
    console.log(JSON.stringify(withCpu(reg.result, before)));
    const pieces = actors.map((_, c) => reg.ops.filter((o) => o.client === c).map((o) => o.code));
    before = cpuNow();
    console.log(JSON.stringify(withCpu((await runGateway('event', actors, pieces)).result, before)));

    if (!PATHS.includes('direct')) continue;
    const wallets = await directWallets(provider, contract, level);
    const ids = [];
    before = cpuNow();
    console.log(JSON.stringify(withCpu(await runDirect('registration', wallets, contract, ids), before)));
    before = cpuNow();
    console.log(JSON.stringify(withCpu(await runDirect('event', wallets, contract, ids), before)));
  }
})().catch((e) => { console.error(e); process.exit(1); });
