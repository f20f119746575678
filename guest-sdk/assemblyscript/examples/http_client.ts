// http_client: fetches http://HOST:PORT/PATH over HTTP/1.1 (the classic
// AssemblyScript socket demo, on an unmodified runtime) and prints the
// status line and the body's length.
//
//   npx asc examples/http_client.ts --runtime stub --use abort= -O2 -o http_client.wasm
//   wasmaot run --addr-pool=127.0.0.1/32 --allow-resolve=localhost http_client.wasm localhost 8000 /
import { TcpSocket, args, print, write, exit, lastError } from "../assembly/index";

export function _start(): void {
  const argv = args();
  if (argv.length != 4) {
    write(2, "usage: http_client HOST PORT PATH\n");
    exit(2);
  }
  const host = argv[1];
  const port = <u16>I32.parseInt(argv[2]);
  const socket = TcpSocket.connect(host, port);
  if (!socket) {
    write(2, "http_client: connect " + host + ": errno " + lastError.toString() + "\n");
    exit(1);
    return;
  }
  socket.sendString("GET " + argv[3] + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  let response = "";
  const buffer = new ArrayBuffer(16384);
  while (true) {
    const n = socket.recv(buffer);
    if (n < 0) {
      write(2, "http_client: receive: errno " + lastError.toString() + "\n");
      exit(1);
    }
    if (n == 0) break;
    response += String.UTF8.decode(buffer.slice(0, n));
  }
  socket.close();
  const end = response.indexOf("\r\n\r\n");
  if (end < 0) {
    write(2, "http_client: no end of headers\n");
    exit(1);
  }
  print(response.substring(0, response.indexOf("\r\n")));
  print("body: " + (response.length - end - 4).toString() + " characters");
}
