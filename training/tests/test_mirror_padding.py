"""The stripe artefact's cause and its fix: zero padding makes the image border an edge the
network answers to; mirrored padding does not, and is exactly torch's reflect padding."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch
import torch.nn.functional as F

from visual_cnn import MirrorPaddedConv2d, VisualCNN, mirror_pad


def spatial_spread(features: torch.Tensor) -> float:
    """Largest deviation of any feature from its channel's mean over positions."""
    return float((features - features.mean(dim=(2, 3), keepdim=True)).abs().max())


def test_mirror_pad_is_reflect_padding() -> None:
    x = torch.randn(2, 3, 9, 7)
    assert torch.equal(mirror_pad(x), F.pad(x, (1, 1, 1, 1), mode="reflect"))


def test_mirror_padded_conv_equals_a_reflect_padded_conv_with_the_same_weights() -> None:
    torch.manual_seed(0)
    conv = MirrorPaddedConv2d(3, 5)
    reference = torch.nn.Conv2d(3, 5, kernel_size=3, padding=1, padding_mode="reflect")
    reference.load_state_dict(conv.state_dict())
    x = torch.randn(2, 3, 16, 12)
    assert torch.allclose(conv(x), reference(x), atol=1e-6)


def test_a_flat_image_gives_flat_features_only_with_mirrored_padding() -> None:
    torch.manual_seed(1)
    flat = torch.full((1, 1, 256, 256), 0.4)
    for padding_mode, is_flat in (("zeros", False), ("reflect", True)):
        model = VisualCNN(num_classes=2, padding_mode=padding_mode).eval()
        with torch.no_grad():
            features, _ = model(flat)
        assert features.shape == (1, 256, 16, 16)
        # zero padding: the border is a step edge, so border features differ from the interior
        assert (spatial_spread(features) < 1e-5) == is_flat, padding_mode


def test_both_paddings_have_the_same_parameters() -> None:
    zeros, mirrored = VisualCNN(2), VisualCNN(2, padding_mode="reflect")
    assert {k: v.shape for k, v in zeros.state_dict().items()} == {k: v.shape for k, v in mirrored.state_dict().items()}
