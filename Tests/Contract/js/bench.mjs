// Calls per second from the generated JavaScript client against a fresh dev
// daemon, at 1 and 16 concurrent calls on one connection (a benchmark, not a test):
//   WAIAAS_BIN=.build/debug node Tests/Contract/js/bench.mjs [seconds-per-run]
import { WalletClient } from '../../../clients/js/index.js';
import { Daemon, transfer } from './live.mjs';

const SECONDS = Number(process.argv[2] ?? 3);
let lamports = 1000; // distinct transactions: no replays

const daemon = await Daemon.start();
try {
  const client = new WalletClient(daemon.socket);
  for (const method of ['getStatus', 'sign']) {
    for (const n of [1, 16]) {
      const stop = performance.now() + SECONDS * 1000;
      let done = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: n }, async () => {
        while (performance.now() < stop) {
          await client[method](method === 'sign' ? { transaction: transfer(daemon.agent, lamports++).transaction } : {});
          done++;
        }
      }));
      const rate = done / ((performance.now() - t0) / 1000);
      console.log(`js ${method.padEnd(10)} concurrency ${String(n).padStart(2)}: ${rate.toFixed(0).padStart(8)} calls/s`);
    }
  }
  client.close();
} finally {
  await daemon.stop();
}
