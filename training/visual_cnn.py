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


class ConvBlock(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        )


class VisualCNN(nn.Module):
    def __init__(self, num_classes: int = 2, widths: tuple[int, ...] = REFERENCE_WIDTHS) -> None:
        super().__init__()
        blocks = []
        in_channels = 1
        for width in widths:
            blocks.append(ConvBlock(in_channels, width))
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
