/** 256-bin histogram of 8-bit samples. */
export function greyHistogram(data: Uint8Array): Uint32Array {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  return histogram;
}
