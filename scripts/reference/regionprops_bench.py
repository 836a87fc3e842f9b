#!/usr/bin/python3
"""Timing helper for bench/objects.bench.ts (dev only; nothing reads its output but that bench).

Reads a label map written by the bench (raw little-endian int32, row-major, height x width), then
times skimage.measure.regionprops plus reading the descriptors src/core/objects/region-props.ts
computes: area, perimeter, centroid, bbox, equivalent diameter, major/minor axis, eccentricity,
orientation, solidity, extent, feret_diameter_max. Prints one JSON line:
    {"skimage": "0.19.3", "objects": k, "median_ms": m, "samples_ms": [...]}
Exits 3 with a "skipped: ..." line on stderr when numpy or skimage cannot be imported.

    /usr/bin/python3 scripts/reference/regionprops_bench.py LABELS.raw WIDTH HEIGHT RUNS [WARMUP]
"""
import json
import statistics
import sys
import time

try:
    import numpy as np
    import skimage
    from skimage.measure import regionprops
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"skipped: {error}", file=sys.stderr)
    sys.exit(3)


def describe(labels):
    out = []
    for r in regionprops(labels):
        out.append(
            (
                r.label,
                r.area,
                r.perimeter,
                r.centroid,
                r.bbox,
                r.equivalent_diameter_area,
                r.axis_major_length,
                r.axis_minor_length,
                r.eccentricity,
                r.orientation,
                r.solidity,
                r.extent,
                r.feret_diameter_max,
            )
        )
    return out


def main():
    path, width, height, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    labels = np.fromfile(path, dtype="<i4").reshape(height, width)
    for _ in range(warmup):
        describe(labels)
    samples = []
    count = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        count = len(describe(labels))
        samples.append((time.perf_counter() - t0) * 1000)
    print(
        json.dumps(
            {
                "skimage": skimage.__version__,
                "objects": count,
                "median_ms": statistics.median(samples),
                "samples_ms": samples,
            }
        )
    )


if __name__ == "__main__":
    main()
