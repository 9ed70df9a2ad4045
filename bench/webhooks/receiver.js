// bench/webhooks/receiver.js PORT EXPECTED OUT: counts scan events per
// endpoint (the path), their latency from the scan's timestamp (1 s
// resolution: the payload's RFC 3339 times have whole seconds) and
// repeated webhook-ids; writes a summary to OUT once EXPECTED events have
// come, or on SIGTERM.
const http = require('http');
const fs = require('fs');
const [port, expected, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
let events = 0, posts = 0, first = 0, last = 0, dupes = 0;
const seen = new Set(), perEndpoint = {}, latencies = [];

function summary() {
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null;
  fs.writeFileSync(out, JSON.stringify({ events, posts, dupes, first, last,
    perEndpoint, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: q(1) }) + '\n');
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const id = req.headers['webhook-id'];
    if (seen.has(id)) dupes++;
    seen.add(id);
    posts++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      if (body.event === 'scan') {
        for (const s of body.data.scans) {
          // The stamp is the second the scan began; its middle is the estimate.
          latencies.push(now - (Date.parse(s.scan.timestamp) + 500));
          events++;
        }
        perEndpoint[req.url] = (perEndpoint[req.url] || 0) + body.data.scans.length;
      }
    } catch (e) { /* counted as a post, not an event */ }
    if (!first) first = now;
    last = now;
    res.writeHead(200);
    res.end('ok');
    if (events >= expected) { summary(); process.exit(0); }
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => { summary(); process.exit(0); });
