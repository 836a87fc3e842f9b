"""The reference preprocessing, via torchvision on PIL (docs/reference.md, "Classification"):
shorter side -> 307 (bilinear, antialiased), centre crop 256, grey (ITU-R 601 luma), [0, 1]."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

RESIZE_TO = int(1.2 * 256)
CROP = 256

PIPELINE = transforms.Compose([
    transforms.Resize(RESIZE_TO, interpolation=transforms.InterpolationMode.BILINEAR),
    transforms.CenterCrop(CROP),
    transforms.Grayscale(num_output_channels=1),
    transforms.ToTensor(),
])


def load_for_pipeline(path: Path) -> Image.Image:
    """PIL image in a mode torchvision's PIL path handles: 16-bit grey is scaled to 8 bits first."""
    image = Image.open(path)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64) / 65535.0
        image = Image.fromarray(np.round(array * 255).astype(np.uint8), mode="L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return image


def reference_tensor(path: Path) -> torch.Tensor:
    """[1, 256, 256] float32 in [0, 1]."""
    return PIPELINE(load_for_pipeline(path))
