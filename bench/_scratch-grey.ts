import { toAnalysisImage } from "~/core/analysis";
import { preprocessRaster } from "~/server/inference/preprocess";
const data = Uint8Array.from({ length: 1024 * 768 }, (_, i) => (i * 2654435761) >>> 24);
const r = { width: 1024, height: 768, channels: 1 as const, bitDepth: 8 as const, data };
for (const [name, f] of [["grey", () => toAnalysisImage(r)], ["preprocess", () => preprocessRaster(r)]] as const) {
  for (let i = 0; i < 5; i++) f();
  const c0 = process.cpuUsage(); const n = 50;
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  console.log(name, ((c.user + c.system) / 1000 / n).toFixed(2), "ms cpu");
}
