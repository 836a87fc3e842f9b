"""Exports the SAM 2 probe model pair: a tiny encoder/decoder with exactly the samexporter SAM 2 / 2.1
ONNX contract and analytic behaviour, so that tests know the automatic mask generator's output in
advance without real weights. Also writes deliberately broken variants for the refusal tests.

    /usr/bin/python3 training/sam2_probe.py

Writes tests/fixtures/sam2/probe/{encoder.onnx,decoder.onnx,card.json} and tests/fixtures/sam2/broken/*.
Deterministic: no weights are learned and the exporter stamps nothing time-dependent, so a rerun
reproduces the same bytes (the card's sha256 says so). The behaviour is documented in
tests/fixtures/sam2/README.md; `ProbeDecoder` below is the one definition, and
src/core/sam2/__tests__/probe-model.ts mirrors it in TypeScript.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
    # Debian's interpreter has python3-torch and python3-onnx; a venv python first on PATH has not.
    os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])

import onnx  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PROBE_DIR = REPO / "tests" / "fixtures" / "sam2" / "probe"
BROKEN_DIR = REPO / "tests" / "fixtures" / "sam2" / "broken"

OPSET = 17  # samexporter's default
FRAME = 1024  # SAM 2 input frame (image resized straight to FRAME x FRAME)
LOW_RES = 256  # decoder mask side; one low-res pixel covers 4 x 4 frame pixels
EMBED_SIDE = 64  # image_embed side; one cell covers 16 x 16 frame pixels
TILE = 128  # the decoder snaps its anchor to the centre of this frame tile (8 x 8 tiles)
LOGIT_CLAMP = 32.0  # samexporter clamps the decoder's mask logits to [-32, 32]

# Per mask index k (the 3 multimask outputs): radius in low-res pixels, slope in logits per low-res
# pixel, and the base predicted IoU; "bright" applies where the anchor's image_embed cell is > 0.
BRIGHT = {"radius": [10.0, 14.0, 22.0], "slope": [10.0, 2.0, 10.0], "iou": [0.92, 0.95, 0.88]}
DARK = {"radius": [6.0, 30.0, 26.0], "slope": [10.0, 1.0, 10.0], "iou": [0.75, 0.975, 0.791]}
# iou_predictions[k] = base[k] + IOU_GAIN_X * ax / 1024 + IOU_GAIN_Y * ay / 1024: a small, strictly
# increasing function of the anchor so that no two grid points ever tie in NMS order.
IOU_GAIN_X = 0.02
IOU_GAIN_Y = 0.0005

SAMEXPORTER_DECODER_INPUTS = [
    "image_embed",
    "high_res_feats_0",
    "high_res_feats_1",
    "point_coords",
    "point_labels",
    "mask_input",
    "has_mask_input",
]
SAMEXPORTER_DECODER_AXES = {
    "point_coords": {0: "num_labels", 1: "num_points"},
    "point_labels": {0: "num_labels", 1: "num_points"},
    "mask_input": {0: "num_labels"},
    "has_mask_input": {0: "num_labels"},
}


class ProbeEncoder(nn.Module):
    """image [1,3,1024,1024] -> channel mean g [1,1,1024,1024], average-pooled over 4/8/16 px blocks
    and replicated over channels: high_res_feats_0 [1,32,256,256], high_res_feats_1 [1,64,128,128],
    image_embed [1,256,64,64] (samexporter's output order)."""

    def __init__(self, embed_channels: int = 256, embed_side: int = EMBED_SIDE) -> None:
        super().__init__()
        self.embed_channels = embed_channels
        self.embed_pool = FRAME // embed_side

    def forward(self, image: torch.Tensor):
        grey = image.mean(dim=1, keepdim=True)
        feats0 = F.avg_pool2d(grey, 4).expand(1, 32, 256, 256)
        feats1 = F.avg_pool2d(grey, 8).expand(1, 64, 128, 128)
        side = FRAME // self.embed_pool
        embed = F.avg_pool2d(grey, self.embed_pool).expand(1, self.embed_channels, side, side)
        return feats0, feats1, embed


class ProbeDecoder(nn.Module):
    """See tests/fixtures/sam2/README.md. In short, per prompt row b:
    anchor a = first point labelled 1, else the mean of the points labelled 2/3 (box corners), else (0,0);
    bright = image_embed[0, 0, clamp(floor(ay/16)), clamp(floor(ax/16))] > 0;
    centre c = centre of a's 128 px tile in the 1024 frame, in low-res pixels (c - 2) / 4;
    masks[b,k,j,i] = clamp(slope_k * (radius_k - |(i,j) - c|) + has_mask_input[b] * mask_input[b,0,j,i], -32, 32);
    iou_predictions[b,k] = iou_k + 0.02 * ax/1024 + 0.0005 * ay/1024 (k's constants from BRIGHT or DARK).
    Negative points (0) and padding (-1) are ignored; high_res_feats_* only take part through a
    zero-weighted term so that they stay real inputs of the graph."""

    def __init__(self, embed_channels: int = 256) -> None:
        super().__init__()
        self.embed_channels = embed_channels
        grid = torch.arange(LOW_RES, dtype=torch.float32)
        self.register_buffer("grid_x", grid.view(1, 1, 1, LOW_RES))
        self.register_buffer("grid_y", grid.view(1, 1, LOW_RES, 1))
        for name, table in (("bright", BRIGHT), ("dark", DARK)):
            for key, values in table.items():
                self.register_buffer(f"{name}_{key}", torch.tensor(values, dtype=torch.float32).view(1, 3))

    def forward(
        self,
        image_embed: torch.Tensor,
        high_res_feats_0: torch.Tensor,
        high_res_feats_1: torch.Tensor,
        point_coords: torch.Tensor,
        point_labels: torch.Tensor,
        mask_input: torch.Tensor,
        has_mask_input: torch.Tensor,
    ):
        positive = (point_labels == 1).float()
        first_positive = positive * (torch.cumsum(positive, dim=1) == 1).float()
        has_positive = first_positive.sum(dim=1, keepdim=True)
        corner = ((point_labels == 2) | (point_labels == 3)).float()
        corner_weight = corner / corner.sum(dim=1, keepdim=True).clamp(min=1.0)
        weight = first_positive + (1.0 - has_positive) * corner_weight
        anchor = (weight.unsqueeze(-1) * point_coords).sum(dim=1)  # [B,2], x then y, 1024 frame
        ax = anchor[:, 0:1]
        ay = anchor[:, 1:2]

        cell = FRAME // EMBED_SIDE
        cell_x = torch.clamp(torch.floor(ax / cell), 0, EMBED_SIDE - 1)
        cell_y = torch.clamp(torch.floor(ay / cell), 0, EMBED_SIDE - 1)
        flat_index = (cell_y * EMBED_SIDE + cell_x).long().view(-1)
        brightness_map = image_embed[0, 0].reshape(EMBED_SIDE * EMBED_SIDE)
        # Zero-weighted: keeps both high-res inputs in the graph (an unused input would be dropped).
        unused = 0.0 * (high_res_feats_0[0, 0, 0, 0] + high_res_feats_1[0, 0, 0, 0])
        brightness = torch.index_select(brightness_map, 0, flat_index).view(-1, 1) + unused
        bright = (brightness > 0).float()  # [B,1]
        dark = 1.0 - bright

        radius = bright * self.bright_radius + dark * self.dark_radius  # [B,3]
        slope = bright * self.bright_slope + dark * self.dark_slope
        base_iou = bright * self.bright_iou + dark * self.dark_iou

        centre_x = ((torch.floor(ax / TILE) + 0.5) * TILE - 2.0) / 4.0  # [B,1], low-res pixels
        centre_y = ((torch.floor(ay / TILE) + 0.5) * TILE - 2.0) / 4.0
        dx = self.grid_x - centre_x.view(-1, 1, 1, 1)
        dy = self.grid_y - centre_y.view(-1, 1, 1, 1)
        distance = torch.sqrt(dx * dx + dy * dy)  # [B,1,256,256]
        logits = slope.view(-1, 3, 1, 1) * (radius.view(-1, 3, 1, 1) - distance)
        logits = logits + has_mask_input.view(-1, 1, 1, 1) * mask_input
        masks = torch.clamp(logits, -LOGIT_CLAMP, LOGIT_CLAMP)
        iou_predictions = base_iou + IOU_GAIN_X * ax / FRAME + IOU_GAIN_Y * ay / FRAME
        return masks, iou_predictions


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def finish(path: Path) -> None:
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    model.producer_name = "visual-ccc-training"
    model.producer_version = "1"
    model.doc_string = "SAM 2 probe (tests only): analytic, no learned weights"
    onnx.save(model, str(path))


def export_encoder(path: Path, encoder: nn.Module, output_names: list[str]) -> None:
    image = torch.zeros(1, 3, FRAME, FRAME)
    torch.onnx.export(
        encoder, image, str(path), opset_version=OPSET, do_constant_folding=True,
        input_names=["image"], output_names=output_names,
    )
    finish(path)


def decoder_example(embed_channels: int = 256):
    return (
        torch.zeros(1, embed_channels, EMBED_SIDE, EMBED_SIDE),
        torch.zeros(1, 32, 256, 256),
        torch.zeros(1, 64, 128, 128),
        torch.tensor([[[512.0, 512.0]]]),
        torch.tensor([[1.0]]),
        torch.zeros(1, 1, LOW_RES, LOW_RES),
        torch.zeros(1),
    )


def export_decoder(path: Path, decoder: nn.Module, embed_channels: int = 256) -> None:
    torch.onnx.export(
        decoder, decoder_example(embed_channels), str(path), opset_version=OPSET, do_constant_folding=True,
        input_names=SAMEXPORTER_DECODER_INPUTS, output_names=["masks", "iou_predictions"],
        dynamic_axes=SAMEXPORTER_DECODER_AXES,
    )
    finish(path)


def describe(path: Path) -> dict:
    model = onnx.load(str(path))

    def value_info(v):
        dims = [d.dim_value if d.HasField("dim_value") else d.dim_param for d in v.type.tensor_type.shape.dim]
        return {"name": v.name, "dtype": onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type).lower(), "shape": dims}

    return {"inputs": [value_info(v) for v in model.graph.input], "outputs": [value_info(v) for v in model.graph.output]}


def main() -> None:
    torch.manual_seed(0)
    PROBE_DIR.mkdir(parents=True, exist_ok=True)
    BROKEN_DIR.mkdir(parents=True, exist_ok=True)
    encoder_path = PROBE_DIR / "encoder.onnx"
    decoder_path = PROBE_DIR / "decoder.onnx"
    outputs = ["high_res_feats_0", "high_res_feats_1", "image_embed"]
    export_encoder(encoder_path, ProbeEncoder().eval(), outputs)
    export_decoder(decoder_path, ProbeDecoder().eval())

    card = {
        "name": "sam2-probe",
        "description": (
            "Test probe with the samexporter SAM 2 / 2.1 ONNX contract and analytic behaviour (no learned "
            "weights): the encoder average-pools the normalised image, the decoder draws smooth discs "
            "around the 128 px tile of the first positive point. Not a segmentation model."
        ),
        "family": "sam2",
        "variant": "probe",
        "builtBy": "training/sam2_probe.py",
        "opset": OPSET,
        "preprocessing": {
            "resize": [FRAME, FRAME],
            "channels": "RGB",
            "scale": 1 / 255,
            "mean": [0.485, 0.456, 0.406],
            "std": [0.229, 0.224, 0.225],
        },
        "encoder": {"file": "encoder.onnx", "sha256": sha256(encoder_path), **describe(encoder_path)},
        "decoder": {"file": "decoder.onnx", "sha256": sha256(decoder_path), **describe(decoder_path)},
        "behaviour": {
            "tile": TILE,
            "bright": BRIGHT,
            "dark": DARK,
            "iouGain": {"x": IOU_GAIN_X, "y": IOU_GAIN_Y},
            "logitClamp": LOGIT_CLAMP,
        },
        "licence": "CC0-1.0 (generated, no training data)",
    }
    (PROBE_DIR / "card.json").write_text(json.dumps(card, indent=2) + "\n")

    # Broken variants for the refusal tests.
    export_encoder(BROKEN_DIR / "encoder-wrong-output-name.onnx", ProbeEncoder().eval(),
                   ["high_res_feats_0", "high_res_feats_1", "vision_features"])
    export_encoder(BROKEN_DIR / "encoder-wrong-embed-shape.onnx", ProbeEncoder(embed_side=32).eval(), outputs)
    export_decoder(BROKEN_DIR / "decoder-embed-128-channels.onnx", ProbeDecoder(embed_channels=128).eval(),
                   embed_channels=128)
    (BROKEN_DIR / "not-onnx.onnx").write_text("This is a text file, not an ONNX model.\n")

    for path in sorted([*PROBE_DIR.iterdir(), *BROKEN_DIR.iterdir()]):
        print(f"{path.relative_to(REPO)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
