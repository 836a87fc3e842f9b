#!/usr/bin/env python3
"""Dev check of our preprocessing: writes torchvision's tensors for EVERY fixture image in
../shared/fixtures/reference/*/input.* to training/.cache/torchvision/<name>.u8 (256 x 256 bytes;
tensor x 255, exact since the PIL pipeline ends in 8 bits). The vitest test
src/server/inference/__tests__/preprocess.test.ts compares against them when they exist (the
licensed ones are also committed under tests/fixtures/inference by make_fixtures.py).

    /usr/bin/python3 training/torchvision_reference.py
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np

from reference_preprocess import reference_tensor

SHARED_FIXTURES = HERE.parent.parent / "shared" / "fixtures" / "reference"
OUT = HERE / ".cache" / "torchvision"


def main() -> None:
    if not SHARED_FIXTURES.exists():
        raise SystemExit(f"{SHARED_FIXTURES} not found: nothing to do")
    OUT.mkdir(parents=True, exist_ok=True)
    for folder in sorted(p for p in SHARED_FIXTURES.iterdir() if p.is_dir()):
        inputs = sorted(folder.glob("input.*"))
        if not inputs:
            continue
        tensor = reference_tensor(inputs[0])[0].numpy()
        (OUT / f"{folder.name}.u8").write_bytes(np.round(tensor * 255).astype(np.uint8).tobytes())
        print(f"{folder.name}: {inputs[0].name} -> {OUT / (folder.name + '.u8')}")


if __name__ == "__main__":
    main()
