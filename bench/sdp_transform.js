'use strict';
/*
 * `make bench` harness: sdp-transform (npm), the JavaScript peer.
 *
 * Same protocol as the C harnesses (harness.h):
 *   node sdp_transform.js --check LIST
 *   node sdp_transform.js --bench LIST SECS WARMUP
 * Messages are read into memory and decoded to JS strings once, before any
 * timing (sdp-transform takes a string); each parse is parse(str). A message
 * counts as parsed when parse() returns an object with version 0, an origin
 * and a media array; the checksum adds the number of m= lines and the length
 * of the o= session id, so the results are used.
 */
const fs = require('fs');
const path = require('path');
const sdp = require(path.join(__dirname, 'node_modules', 'sdp-transform'));

const NAME = 'sdp-transform';

function load(list) {
  // one message a line: path, then optionally " FLAGS" (emsec's; ignored here)
  const paths = fs.readFileSync(list, 'latin1').split(/\r?\n/)
    .filter((l) => l.length > 0).map((l) => l.split(' ')[0]);
  if (paths.length === 0) die('empty message list: ' + list);
  return paths.map((p) => {
    const buf = fs.readFileSync(p);
    return { path: p, str: buf.toString('latin1'), len: buf.length };
  });
}

function die(what) {
  process.stderr.write(`bench ${NAME}: ${what}\n`);
  process.exit(2);
}

// Returns the checksum contribution, or throws with a reason.
function parseOne(str) {
  const s = sdp.parse(str);
  if (s.version !== 0) throw new Error('no v=0');
  if (s.origin === undefined) throw new Error('no o=');
  if (!Array.isArray(s.media)) throw new Error('no media array');
  return s.media.length + String(s.origin.sessionId).length;
}

function onePass(msgs) {
  let sum = 0;
  for (let i = 0; i < msgs.length; i++) {
    try {
      sum += parseOne(msgs[i].str);
    } catch (e) {
      process.stderr.write(`bench ${NAME}: FAILED to parse ${msgs[i].path}: ${e.message}\n`);
      process.exit(1);
    }
  }
  return sum;
}

function nowS() {
  return Number(process.hrtime.bigint()) / 1e9;
}

const argv = process.argv.slice(2);
if (argv.length === 2 && argv[0] === '--check') {
  for (const m of load(argv[1])) {
    try {
      parseOne(m.str);
      console.log(`ACCEPT ${m.path}`);
    } catch (e) {
      console.log(`REJECT ${m.path}: ${e.message}`);
    }
  }
} else if (argv.length === 4 && argv[0] === '--bench') {
  const msgs = load(argv[1]);
  const secs = Number(argv[2]);
  const warm = Number(argv[3]);
  const bytes = msgs.reduce((a, m) => a + m.len, 0);
  const first = onePass(msgs);
  let t0 = nowS();
  while (nowS() - t0 < warm) {
    if (onePass(msgs) !== first) die('checksum differs between passes');
  }
  let passes = 0;
  let check = 0;
  let t1;
  const c0 = process.cpuUsage(); // user + system, all threads, microseconds
  t0 = nowS();
  do {
    check += onePass(msgs);
    passes++;
    t1 = nowS();
  } while (t1 - t0 < secs);
  if (check !== first * passes) die('checksum differs between passes');
  const c1 = process.cpuUsage(c0);
  const el = t1 - t0;
  const cpu = Math.max((c1.user + c1.system) / 1e6, 1e-6);
  console.log(`RESULT parser=${NAME} messages=${msgs.length} bytes=${bytes} passes=${passes}` +
    ` seconds=${el.toFixed(3)} msgs_per_s=${(passes * msgs.length / el).toFixed(0)}` +
    ` mb_per_s=${(passes * bytes / el / 1e6).toFixed(2)} cpu_seconds=${cpu.toFixed(3)}` +
    ` msgs_per_cpu_s=${(passes * msgs.length / cpu).toFixed(0)}` +
    ` cpu_share=${(cpu / el).toFixed(2)} checksum=${first}`);
} else {
  die('usage: sdp_transform.js --check LIST | --bench LIST SECS WARMUP');
}
