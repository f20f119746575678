// wasmaot-net for AssemblyScript: TCP and name resolution over the WAMR
// socket ABI that wasmaot (and WAMR) serve, plus the few WASI helpers a
// program needs (arguments, printing, exit). Works with `--runtime stub`:
// nothing here relies on a garbage collector.
//
// Errors: calls that can fail return null or false and leave the WASI errno
// in `lastError` (13 = EACCES: denied by the runtime's policy).
import * as wasi from "./wasi";

export let lastError: i32 = 0;

function ok(errno: i32): bool {
  lastError = errno;
  return errno == 0;
}

/** An IPv4 or IPv6 address and a port, in the ABI's layout. */
export class SocketAddress {
  raw: ArrayBuffer = new ArrayBuffer(wasi.ADDR_SIZE);

  get isV6(): bool {
    return load<u32>(changetype<usize>(this.raw)) == 1;
  }
  get port(): u16 {
    return load<u16>(changetype<usize>(this.raw) + (this.isV6 ? 20 : 8));
  }
  set port(p: u16) {
    store<u16>(changetype<usize>(this.raw) + (this.isV6 ? 20 : 8), p);
  }

  /** "a.b.c.d" (numeric IPv4) and a port; null if not an IPv4 address. */
  static ipv4(text: string, port: u16): SocketAddress | null {
    const parts = text.split(".");
    if (parts.length != 4) return null;
    const a = new SocketAddress();
    const p = changetype<usize>(a.raw);
    store<u32>(p, 0);
    for (let i = 0; i < 4; i++) {
      const s = parts[i];
      if (s.length == 0 || s.length > 3) return null;
      let v: i32 = 0;
      for (let j = 0; j < s.length; j++) {
        const c = s.charCodeAt(j);
        if (c < 48 || c > 57) return null;
        v = v * 10 + (c - 48);
      }
      if (v > 255) return null;
      store<u8>(p + 4 + i, <u8>v);
    }
    store<u16>(p + 8, port);
    return a;
  }

  toString(): string {
    const p = changetype<usize>(this.raw);
    if (this.isV6) {
      let s = "[";
      for (let i = 0; i < 8; i++) {
        if (i > 0) s += ":";
        s += load<u16>(p + 4 + 2 * i).toString(16);
      }
      return s + "]:" + this.port.toString();
    }
    return load<u8>(p + 4).toString() + "." + load<u8>(p + 5).toString() + "." + load<u8>(p + 6).toString() + "." +
           load<u8>(p + 7).toString() + ":" + this.port.toString();
  }
}

function cString(s: string): ArrayBuffer {
  const bytes = String.UTF8.encode(s, true);  // NUL-terminated
  return bytes;
}

/** The addresses `host` resolves to (through the runtime, under its
 * resolve policy), each with `port`; a numeric IPv4 host without asking. */
export function resolve(host: string, port: u16): SocketAddress[] {
  const out = new Array<SocketAddress>();
  const numeric = SocketAddress.ipv4(host, port);
  if (numeric) {
    out.push(numeric);
    return out;
  }
  const name = cString(host);
  const service = cString("");
  // __wasi_addr_info_hints_t: type (any = -1), family (unspec = 2), enabled.
  const hints = new ArrayBuffer(12);
  store<i32>(changetype<usize>(hints), -1);
  store<i32>(changetype<usize>(hints) + 4, 2);
  store<u8>(changetype<usize>(hints) + 8, 0);
  const capacity = 8;
  const info = new ArrayBuffer(capacity * wasi.ADDR_INFO_SIZE);
  const max = new ArrayBuffer(4);
  if (!ok(wasi.sock_addr_resolve(changetype<usize>(name), changetype<usize>(service), changetype<usize>(hints),
                                 changetype<usize>(info), capacity, changetype<usize>(max)))) {
    return out;
  }
  const n = min(load<u32>(changetype<usize>(max)), <u32>capacity);
  for (let i: u32 = 0; i < n; i++) {
    const a = new SocketAddress();
    memory.copy(changetype<usize>(a.raw), changetype<usize>(info) + i * wasi.ADDR_INFO_SIZE, wasi.ADDR_SIZE);
    a.port = port;
    out.push(a);
  }
  return out;
}

/** A connected TCP socket. */
export class TcpSocket {
  constructor(public fd: i32) {}

  /** Connects to `host` (a name or a numeric IPv4 address), trying each
   * address it resolves to; null with lastError if none accepts. */
  static connect(host: string, port: u16): TcpSocket | null {
    const addresses = resolve(host, port);
    if (addresses.length == 0 && lastError == 0) lastError = 44;  // ENOENT: no address
    for (let i = 0; i < addresses.length; i++) {
      const fd = openSocket(addresses[i].isV6);
      if (fd < 0) continue;
      if (ok(wasi.sock_connect(fd, changetype<usize>(addresses[i].raw)))) return new TcpSocket(fd);
      const errno = lastError;
      wasi.fd_close(fd);
      lastError = errno;
    }
    return null;
  }

  /** Sends all of `data` (its first `length` bytes when length >= 0);
   * false with lastError on failure. */
  send(data: ArrayBuffer, length: i32 = -1): bool {
    const iov = new ArrayBuffer(8);
    const sent = new ArrayBuffer(4);
    let at: usize = 0;
    const total = <usize>(length >= 0 ? min(length, data.byteLength) : data.byteLength);
    while (at < total) {
      store<u32>(changetype<usize>(iov), <u32>(changetype<usize>(data) + at));
      store<u32>(changetype<usize>(iov) + 4, <u32>(total - at));
      if (!ok(wasi.sock_send(this.fd, changetype<usize>(iov), 1, 0, changetype<usize>(sent)))) return false;
      at += load<u32>(changetype<usize>(sent));
    }
    return true;
  }

  sendString(text: string): bool {
    return this.send(String.UTF8.encode(text));
  }

  /** Receives into `buffer`: the byte count, 0 at end of stream, -1 on error. */
  recv(buffer: ArrayBuffer): i32 {
    const iov = new ArrayBuffer(8);
    const got = new ArrayBuffer(4);
    const flags = new ArrayBuffer(4);
    store<u32>(changetype<usize>(iov), <u32>changetype<usize>(buffer));
    store<u32>(changetype<usize>(iov) + 4, <u32>buffer.byteLength);
    if (!ok(wasi.sock_recv(this.fd, changetype<usize>(iov), 1, 0, changetype<usize>(got), changetype<usize>(flags)))) {
      return -1;
    }
    return <i32>load<u32>(changetype<usize>(got));
  }

  /** Stops sending (the peer reads end of stream). */
  shutdownWrite(): bool {
    return ok(wasi.sock_shutdown(this.fd, 2));
  }

  peerAddress(): SocketAddress | null {
    const a = new SocketAddress();
    return ok(wasi.sock_addr_remote(this.fd, changetype<usize>(a.raw))) ? a : null;
  }

  close(): void {
    wasi.fd_close(this.fd);
  }
}

/** A listening TCP socket. */
export class TcpListener {
  constructor(public fd: i32) {}

  /** Binds a numeric IPv4 address (port 0 picks a free one) and listens. */
  static bind(address: string, port: u16): TcpListener | null {
    const a = SocketAddress.ipv4(address, port);
    if (!a) {
      lastError = 28;  // EINVAL
      return null;
    }
    const fd = openSocket(false);
    if (fd < 0) return null;
    wasi.sock_set_reuse_addr(fd, 1);
    if (!ok(wasi.sock_bind(fd, changetype<usize>(a.raw))) || !ok(wasi.sock_listen(fd, 128))) {
      const errno = lastError;
      wasi.fd_close(fd);
      lastError = errno;
      return null;
    }
    return new TcpListener(fd);
  }

  localAddress(): SocketAddress | null {
    const a = new SocketAddress();
    return ok(wasi.sock_addr_local(this.fd, changetype<usize>(a.raw))) ? a : null;
  }

  /** Waits for a connection; null with lastError on failure. */
  accept(): TcpSocket | null {
    const fd = new ArrayBuffer(4);
    if (!ok(wasi.sock_accept(this.fd, 0, changetype<usize>(fd)))) return null;
    return new TcpSocket(load<i32>(changetype<usize>(fd)));
  }

  close(): void {
    wasi.fd_close(this.fd);
  }
}

function openSocket(v6: bool): i32 {
  const fd = new ArrayBuffer(4);
  // WAMR's address family INET4 = 0 / INET6 = 1; SOCKET_STREAM = 1.
  if (!ok(wasi.sock_open(0, v6 ? 1 : 0, 1, changetype<usize>(fd)))) return -1;
  return load<i32>(changetype<usize>(fd));
}

// ---- the few WASI helpers a program needs -----------------------------------

/** Writes `text` to stdout (fd 1) or stderr (fd 2). */
export function write(fd: i32, text: string): void {
  const bytes = String.UTF8.encode(text);
  const iov = new ArrayBuffer(8);
  const written = new ArrayBuffer(4);
  store<u32>(changetype<usize>(iov), <u32>changetype<usize>(bytes));
  store<u32>(changetype<usize>(iov) + 4, <u32>bytes.byteLength);
  wasi.fd_write(fd, changetype<usize>(iov), 1, changetype<usize>(written));
}

export function print(text: string): void {
  write(1, text + "\n");
}

/** The program's arguments, argv[0] first. */
export function args(): string[] {
  const sizes = new ArrayBuffer(8);
  wasi.args_sizes_get(changetype<usize>(sizes), changetype<usize>(sizes) + 4);
  const argc = load<u32>(changetype<usize>(sizes));
  const argv = new ArrayBuffer(<i32>argc * 4);
  const buf = new ArrayBuffer(<i32>load<u32>(changetype<usize>(sizes) + 4));
  wasi.args_get(changetype<usize>(argv), changetype<usize>(buf));
  const out = new Array<string>();
  for (let i: u32 = 0; i < argc; i++) {
    const start = load<u32>(changetype<usize>(argv) + i * 4);
    let end = start;
    while (load<u8>(end) != 0) end++;
    out.push(String.UTF8.decodeUnsafe(start, end - start));
  }
  return out;
}

export function exit(status: i32): void {
  wasi.proc_exit(status);
}
