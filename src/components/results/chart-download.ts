/**
 * Downloads of a chart: SVG is the chart's own <svg> serialised (its styles are inline, so the
 * file renders the same anywhere); PNG draws that SVG onto a canvas at twice its size on white.
 */

/** The chart's SVG as a standalone document. */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  if (!clone.getAttribute("width")) clone.setAttribute("width", String(Math.round(width)));
  if (!clone.getAttribute("height")) clone.setAttribute("height", String(Math.round(height)));
  // Standalone, currentColor falls back to black; the page's ink is close enough.
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** A PNG of the SVG at `scale` times its size, on a white background. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = serializeSvg(svg);
  const width = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
  const height = Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw on a canvas");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Could not encode the PNG"))), "image/png"),
  );
}

/** Saves `blob` as `fileName` (an <a download> on an object URL). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(svg: SVGSVGElement, baseName: string): void {
  saveBlob(new Blob([serializeSvg(svg)], { type: "image/svg+xml" }), `${baseName}.svg`);
}

export async function downloadPng(svg: SVGSVGElement, baseName: string): Promise<void> {
  saveBlob(await svgToPng(svg), `${baseName}.png`);
}
