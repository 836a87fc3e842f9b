"""VisualCNN (docs/reference.md, "Classification") in the shape of our ONNX contract.

Four blocks of [3x3 conv (padding 1) -> batch norm -> ReLU -> 2x2 max pool] with 32, 64, 128, 256
channels, global average pooling and one linear layer. The forward pass returns BOTH the last
block's activations (`features`, [N, C, H/16, W/16]) and the `logits` [N, K], so CAM is exact from
one forward pass: logits = W @ mean_hw(features) + b.

The network is fully convolutional up to the pooling, so it is trained on 128 x 128 crops (4x
cheaper) and run on the 256 x 256 contract input: the pixel scale of the micrograph is the same,
only the averaged field is larger.
"""
from __future__ import annotations

import torch
from torch import nn

REFERENCE_WIDTHS = (32, 64, 128, 256)


def mirror_pad(x: torch.Tensor) -> torch.Tensor:
    """Pads H and W by one pixel with the mirrored neighbour (reflect padding), written as slices
    and concatenations, which export to ONNX as plain Slice + Concat (Conv2d(padding_mode="reflect")
    exports a dynamic Pad and trained ~1.7x slower than this on this CPU)."""
    x = torch.cat([x[..., :, 1:2], x, x[..., :, -2:-1]], dim=3)
    return torch.cat([x[..., 1:2, :], x, x[..., -2:-1, :]], dim=2)


class MirrorPaddedConv2d(nn.Conv2d):
    """3x3 convolution on the mirror-padded input (same output size as padding 1); same parameters
    and state-dict keys as nn.Conv2d."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(in_channels, out_channels, kernel_size=3, padding=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(mirror_pad(x))


class ConvBlock(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int, padding_mode: str = "zeros") -> None:
        if padding_mode == "zeros":
            conv: nn.Conv2d = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
        elif padding_mode == "reflect":
            conv = MirrorPaddedConv2d(in_channels, out_channels)
        else:
            raise ValueError(f"padding_mode must be 'zeros' or 'reflect', not {padding_mode!r}")
        super().__init__(
            conv,
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        )


class VisualCNN(nn.Module):
    def __init__(self, num_classes: int = 2, widths: tuple[int, ...] = REFERENCE_WIDTHS,
                 padding_mode: str = "zeros") -> None:
        """padding_mode "zeros" is the reference network (and the published checkpoint). "reflect"
        pads every convolution with the mirrored image instead of black, so the image border is not
        an artificial step edge: with zero padding the network answers the border itself (a flat
        grey image gets a CAM that is one hot stripe along its left edge)."""
        super().__init__()
        blocks = []
        in_channels = 1
        for width in widths:
            blocks.append(ConvBlock(in_channels, width, padding_mode))
            in_channels = width
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(in_channels, num_classes)

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.blocks(image)
        logits = self.head(features.mean(dim=(2, 3)))
        return features, logits


def grad_cam(model: VisualCNN, image: torch.Tensor, target_class: int | None = None,
             out_size: int = 256) -> tuple[torch.Tensor, int]:
    """Grad-CAM exactly as docs/reference.md ("Class activation map"), by autograd (no shortcut through the head):
    alpha_k = mean over positions of d(target logit)/dA_k; heat = ReLU(mean_k alpha_k A_k),
    divided by its max, bicubically resized to the display crop. Returns (heat [out, out], class)."""
    model.eval()
    features, logits = model.blocks(image), None
    features.retain_grad()
    logits = model.head(features.mean(dim=(2, 3)))
    cls = int(logits[0].argmax()) if target_class is None else target_class
    model.zero_grad()
    logits[0, cls].backward()
    grads = features.grad[0]  # [C, h, w]
    alpha = grads.mean(dim=(1, 2))  # [C]
    heat = torch.relu((alpha[:, None, None] * features[0].detach()).mean(dim=0))
    peak = heat.max()
    heat = heat / peak if peak > 0 else heat
    up = torch.nn.functional.interpolate(heat[None, None], size=(out_size, out_size), mode="bicubic",
                                         align_corners=False)[0, 0]
    return up.detach(), cls
