// Drives chaos_proxy with the published npm package toxiproxy-node-client, as
// a Toxiproxy user's test suite would, and prints one line a check: "ok WHAT"
// or "FAIL WHAT: why"; exits 1 when any failed.
// argv: NODE_MODULES_DIR API_URL UPSTREAM (HOST:PORT of a flag_server)
'use strict';
const path = require('path');
const net = require('net');
const { Toxiproxy } = require(path.join(process.argv[2], 'toxiproxy-node-client'));
const [api, upstream] = process.argv.slice(3);

let failed = false;
function check(ok, what, why = '') {
  console.log(ok ? `ok ${what}` : `FAIL ${what}: ${why}`);
  if (!ok) failed = true;
}

// One GET of a flag over a raw socket: the bytes that came, how long, how it ended.
function get(port, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks = [];
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const done = (how) => {
      socket.destroy();
      resolve({ how, ms: Date.now() - started, bytes: Buffer.concat(chunks) });
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => done('end'));
    socket.on('error', (e) => done(e.code));
  });
}
const status = (r) => r.bytes.toString('latin1').split(' ')[1];
const portOf = (listen) => Number(listen.split(':').pop());
async function rejects(promise) {
  try {
    await promise;
    return '';
  } catch (e) {
    return String(e.message);
  }
}

async function main() {
  const toxiproxy = new Toxiproxy(api);
  check((await toxiproxy.getVersion()).includes('2.12.0'), 'version');

  const proxy = await toxiproxy.createProxy({ name: 'flags', listen: '127.0.0.1:0', upstream });
  const port = portOf(proxy.listen);
  check(port > 0 && proxy.upstream === upstream && proxy.enabled === true, 'createProxy reports the bound port', proxy.listen);
  check((await rejects(toxiproxy.createProxy({ name: 'flags', listen: '127.0.0.1:0', upstream }))).includes('409'),
        'a second proxy of the same name is refused with 409');
  check('flags' in (await toxiproxy.getAll()), 'getAll lists it');
  check((await toxiproxy.get('flags')).upstream === upstream, 'get finds it');
  const plain = await get(port);
  check(status(plain) === '200', 'traffic passes through', plain.how);

  const latency = await proxy.addToxic({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300 } });
  check(latency.name === 'latency_downstream' && latency.attributes.latency === 300, 'addToxic latency');
  const slow = await get(port);
  check(status(slow) === '200' && slow.ms >= 300, 'latency 300 ms delays the answer', `${slow.ms} ms`);
  const updated = await latency.update({ attributes: { latency: 600 } });
  check(updated.attributes.latency === 600, 'update merges the attribute');
  const slower = await get(port);
  check(slower.ms >= 600, 'the update acts on the next connection', `${slower.ms} ms`);
  check((await proxy.getToxic('latency_downstream')).attributes.latency === 600, 'getToxic');
  await latency.remove();
  const fast = await get(port);
  check(fast.ms < 300, 'removing the toxic ends the delay', `${fast.ms} ms`);

  const limit = await proxy.addToxic({ type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 100 } });
  const cut = await get(port);
  check(cut.bytes.length === 100, 'limit_data cuts the answer at 100 bytes', `${cut.bytes.length} bytes, ${cut.how}`);
  await limit.remove();

  const reset = await proxy.addToxic({ type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
  const rst = await get(port);
  check(rst.how === 'ECONNRESET', 'reset_peer resets the connection', rst.how);
  await reset.remove();

  for (const [type, attributes] of [['bandwidth', { rate: 1000 }], ['slow_close', { delay: 10 }], ['timeout', { timeout: 100 }],
                                    ['slicer', { average_size: 64, size_variation: 8, delay: 10 }], ['noop', {}]]) {
    const toxic = await proxy.addToxic({ type, stream: 'upstream', toxicity: 0.5, attributes });
    check(toxic.type === type && toxic.stream === 'upstream' && toxic.toxicity === 0.5, `addToxic ${type}`);
    await toxic.remove();
  }
  check((await rejects(proxy.addToxic({ type: 'slicer', attributes: { average_size: 0 } }))).includes('400'),
        'a slicer of average_size 0 is refused (Toxiproxy takes it and dies)');

  const off = await proxy.update({ ...proxy.toJson(), enabled: false });
  check(off.enabled === false, 'update disables');
  const refused = await get(port);
  check(refused.how === 'ECONNREFUSED', 'a disabled proxy refuses connections', refused.how);
  await proxy.update({ ...proxy.toJson(), enabled: true });
  check(status(await get(port)) === '200', 'enabled again on the same port');

  const populated = await toxiproxy.populate([
    { name: 'flags', listen: proxy.listen, upstream, enabled: true },
    { name: 'second', listen: '127.0.0.1:0', upstream, enabled: true },
  ]);
  check('flags' in populated && 'second' in populated, 'populate returns both');
  check(status(await get(portOf(populated.second.listen))) === '200', 'a populated proxy serves');

  await (await toxiproxy.get('flags')).addToxic({ type: 'latency', attributes: { latency: 1000 } });
  await toxiproxy.reset();
  const afterReset = await get(port);
  check(afterReset.ms < 1000 && status(afterReset) === '200', 'reset removes every toxic', `${afterReset.ms} ms`);

  await populated.second.remove();
  check((await rejects(toxiproxy.get('second'))).includes('404'), 'a removed proxy is gone');
  check((await get(portOf(populated.second.listen))).how === 'ECONNREFUSED', 'and so is its port');
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
  console.log(`FAIL unexpected: ${e.stack}`);
  process.exit(1);
});
