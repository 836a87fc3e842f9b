import { segmentObjects } from "~/core/objects/segment-objects";
const size = Number(process.argv[2]), n = size * size;
const grey = new Uint8Array(n); let s = 1;
const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) grey[i] = 50 + r() * 40;
for (let k = 0; k < (size === 4096 ? 10000 : 1000); k++) { const cx = r() * size, cy = r() * size, rad = 4 + r() * 11;
  for (let y = Math.max(0, Math.floor(cy - rad)); y < Math.min(size, cy + rad); y++) for (let x = Math.max(0, Math.floor(cx - rad)); x < Math.min(size, cx + rad); x++) if ((x - cx) ** 2 + (y - cy) ** 2 < rad * rad) grey[y * size + x] = 180 + r() * 40; }
for (let rep = 0; rep < 4; rep++) { const a = process.cpuUsage(); const seg = segmentObjects({ width: size, height: size, data: grey }); const b = process.cpuUsage(a); console.log(((b.user + b.system) / 1000).toFixed(0), JSON.stringify(Object.fromEntries(Object.entries(seg.timingsMs).map(([k, v]) => [k, Math.round(v)])))); }
