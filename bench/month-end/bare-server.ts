/**
 * The physical reference of a small read: bare node:http answering a fixed body with the same
 * content type, no routing, no auth, no database. Run as its own process, like a service.
 * argv: <port> <body file>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, bodyFile] = process.argv.slice(2);
const body = readFileSync(bodyFile);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('READY\n'));
