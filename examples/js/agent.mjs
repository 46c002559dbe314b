#!/usr/bin/env node
// A minimal agent: asks the daemon to sign a transfer within its limit (signed),
// then one over it (refused), and prints the daemon's reasons the way an agent
// runtime would hand them back to its model as a tool result.
//
//   waiaasd serve --dev --home /tmp/w/home      # prints "agent: <base58>"
//   node examples/js/agent.mjs /tmp/w/home/waiaasd.sock
//
// Transactions are built by hand (a legacy System transfer) so the example needs
// nothing but the client; a real agent would use @solana/web3.js and a recent blockhash.
import { WaiaasError, WalletClient } from '../../clients/js/index.js';

const LAMPORTS_PER_SOL = 1_000_000_000;

function solTransfer(agent, to, lamports, blockhash) {
  const data = Buffer.alloc(12);
  data.writeUInt32LE(2, 0);
  data.writeBigUInt64LE(BigInt(lamports), 4);
  const message = Buffer.concat([Buffer.from([1, 0, 1, 3]), agent, to, Buffer.alloc(32), blockhash, Buffer.from([1, 2, 2, 0, 1, 12]), data]);
  return new Uint8Array(Buffer.concat([Buffer.from([1]), Buffer.alloc(64), message]));
}

// What the model sees: short, structured, with the daemon's reasons verbatim.
const toolResult = (ok, fields) => JSON.stringify({ ok, ...fields }, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2);

async function transferTool(wallet, agent, sol) {
  const tx = solTransfer(agent, Buffer.alloc(32, 0x33), Math.round(sol * LAMPORTS_PER_SOL), Buffer.alloc(32, 0x42));
  try {
    const r = await wallet.sign({ transaction: tx, clientReference: `agent transfer of ${sol} SOL` }, { timeoutMs: 10000 });
    return toolResult(true, { signature: Buffer.from(r.signature).toString('hex'), ledgerSequence: r.ledgerSequence, reasons: r.reasons });
  } catch (e) {
    if (!(e instanceof WaiaasError)) throw e;
    // Denied, or needs the owner's approval: the reasons say why and what would pass.
    return toolResult(false, { error: e.codeName, reasons: e.reasons, hint: 'do not retry the same request; change it to fit the policy or ask the owner' });
  }
}

const socketPath = process.argv[2] ?? process.env.WAIAAS_SOCKET ?? '.waiaas/waiaasd.sock';
const wallet = new WalletClient(socketPath);
try {
  const { agentPublicKey } = await wallet.getStatus();
  console.log('tool call: transfer 0.01 SOL ->');
  console.log(await transferTool(wallet, agentPublicKey, 0.01));
  console.log('tool call: transfer 0.5 SOL ->');
  console.log(await transferTool(wallet, agentPublicKey, 0.5));
} finally {
  wallet.close();
}
