// A TLS server on 127.0.0.1 in front of a loopback HTTP server, with a self-signed
// certificate made here for 127.0.0.1 that expires when the test says; the certificate can
// be replaced while it runs, as an operator renews one.
import { createServer as createTlsServer, type Server } from "node:tls";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import selfsigned from "selfsigned";

const DAY_MS = 86_400_000;

export interface Certificate {
  key: string;
  cert: string;
  notAfter: Date;
}

/**
 * A certificate for 127.0.0.1 that expires `days` from now (not valid for anything else).
 * Each has a subject of its own: a trust store finds a certificate's issuer by its name.
 */
export async function certificateFor127(days: number): Promise<Certificate> {
  const notAfter = new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000);
  const pems = await selfsigned.generate([{ name: "commonName", value: `loopback-test-${days}d-${notAfter.getTime()}` }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  return { key: pems.private, cert: pems.cert, notAfter };
}

export interface TlsFront {
  url: string;
  server: Server;
  /** Serves `certificate` to new connections from now on. */
  use(certificate: Certificate): void;
  close(): Promise<void>;
}

export async function startTlsFront(backendPort: number, certificate: Certificate): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const backend = connect(backendPort, "127.0.0.1");
    socket.pipe(backend).pipe(socket);
    for (const side of [socket, backend]) {
      sockets.add(side);
      side.on("error", () => {});
      side.on("close", () => (sockets.delete(side), socket.destroy(), backend.destroy()));
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    server,
    use: (next) => server.setSecureContext({ key: next.key, cert: next.cert }),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}

/** Writes certificates to a file that NODE_EXTRA_CA_CERTS can name, so a child process trusts them. */
export function writeTrusted(file: string, certificates: Certificate[]): string {
  writeFileSync(file, certificates.map((certificate) => certificate.cert).join("\n"));
  return file;
}
