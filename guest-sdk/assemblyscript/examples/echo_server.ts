// echo_server: accepts TCP connections one at a time and echoes each until
// the client shuts down its side; exits after N connections.
//
//   npx asc examples/echo_server.ts --runtime stub --use abort= -O2 -o echo_server.wasm
//   wasmaot run --addr-pool=127.0.0.1/32 echo_server.wasm 127.0.0.1 0 3
import { TcpListener, args, print, write, exit, lastError } from "../assembly/index";

export function _start(): void {
  const argv = args();
  if (argv.length != 4) {
    write(2, "usage: echo_server ADDR PORT CONNECTIONS\n");
    exit(2);
  }
  const listener = TcpListener.bind(argv[1], <u16>I32.parseInt(argv[2]));
  if (!listener) {
    write(2, "echo_server: bind: errno " + lastError.toString() + "\n");
    exit(1);
    return;
  }
  const local = listener.localAddress();
  print("listening on " + (local ? local.port.toString() : "?"));
  const connections = I32.parseInt(argv[3]);
  const buffer = new ArrayBuffer(65536);
  for (let i = 0; i < connections; i++) {
    const client = listener.accept();
    if (!client) {
      write(2, "echo_server: accept: errno " + lastError.toString() + "\n");
      continue;
    }
    let total = 0;
    while (true) {
      const n = client.recv(buffer);
      if (n <= 0) break;
      if (!client.send(buffer, n)) break;
      total += n;
    }
    const peer = client.peerAddress();
    write(2, (peer ? peer.toString() : "?") + ": echoed " + total.toString() + " bytes\n");
    client.close();
  }
  listener.close();
}
