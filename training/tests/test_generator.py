"""The generator's guarantees: every image shows its class, and training crops show the deposit."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import generator
import train as training


def disc_mask(size: int = 64, radius: int = 10) -> np.ndarray:
    yy, xx = np.mgrid[0:size, 0:size]
    return (yy - size / 2) ** 2 + (xx - size / 2) ** 2 < radius ** 2


def test_visibility_separates_a_visible_deposit_from_an_invisible_one() -> None:
    rng = np.random.default_rng(0)
    mask = disc_mask()
    noise = rng.normal(100, 10, mask.shape)
    invisible = np.clip(noise, 0, 255).astype(np.uint8)
    visible = np.clip(noise + 60 * mask, 0, 255).astype(np.uint8)
    assert generator.deposit_visibility(invisible, mask) < 0.2
    assert generator.deposit_visibility(visible, mask) > 1.0
    assert generator.deposit_visibility(visible, np.zeros_like(mask)) == 0.0


def test_rendered_samples_show_their_deposit() -> None:
    for seed in range(6):
        for label in (0, 1):
            image, mask = generator.render_sample(seed, label, 128)
            assert image.shape == mask.shape == (128, 128)
            assert mask.mean() > 0.005
            assert generator.deposit_visibility(image, mask) >= generator.MIN_VISIBILITY[label]


def test_native_crops_are_placed_on_the_deposit() -> None:
    mask = np.zeros((256, 256), bool)
    mask[200:230, 10:40] = True  # a small deposit in one corner
    rng = np.random.default_rng(1)

    def share_showing_deposit(with_mask: bool) -> float:
        hits = 0
        for _ in range(200):
            y, x = training.crop_position(256, rng, mask if with_mask else None)
            hits += mask[y:y + training.TRAIN_CROP, x:x + training.TRAIN_CROP].any()
        return hits / 200

    # A blind crop shows this corner deposit about 1 time in 8; a placed one most of the time.
    assert share_showing_deposit(False) < 0.3
    assert share_showing_deposit(True) > 0.6


def local_half_widths(mask: np.ndarray) -> np.ndarray:
    """Distance to the background of every deposit pixel (a filament of width w peaks at ~w / 2)."""
    from scipy import ndimage as ndi
    return ndi.distance_transform_edt(mask)[mask]


def test_whiskers_and_mossy_lithium_are_thin_filaments_and_nodules_are_not() -> None:
    size = 256 * generator.SUPERSAMPLE
    for seed in range(3):
        whiskers = generator.whiskers_mask(np.random.default_rng(seed), size, 1.0)
        _, mossy = generator.mossy_layer(np.random.default_rng(seed), size)
        _, nodules = generator.nodule_layer(np.random.default_rng(seed), size)
        for filaments in (whiskers, mossy):
            assert filaments.mean() > 0.01
            # supersampled px: whisker radius <= 1.4 * 2 (tip nodules a few px more)
            assert np.percentile(local_half_widths(filaments), 90) <= 4.5
        assert nodules.mean() > 0.3  # compact: the grains cover most of the field
        assert np.percentile(local_half_widths(nodules), 90) > 4.5


def test_nodules_have_bright_outlines() -> None:
    """The SEM edge effect: inside each grain, the brightness near its outline exceeds its core's."""
    from scipy import ndimage as ndi
    for seed in range(3):
        bright, mask = generator.nodule_layer(np.random.default_rng(seed), 256 * generator.SUPERSAMPLE)
        inner = ndi.binary_erosion(mask, iterations=6)
        outline = mask & ~ndi.binary_erosion(mask, iterations=2)
        assert bright[outline].mean() > bright[inner].mean()
