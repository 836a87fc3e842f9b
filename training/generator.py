"""Procedural SEM-like micrographs of two deposit morphologies.

Class 0 "dendritic": branching trees (side view growing from a substrate, like electrodeposited
Ag/Li dendrites, or top view spreading over the field), fern-like crystalline dendrites with
regular side branches, and needles/whiskers.
Class 1 "spherical": packed polydisperse spheres/nodules (top view), piles of nodules on a
substrate (side view), and densely packed rounded grains.

Everything that is not the morphology is drawn from the SAME distributions for both classes, so
the classes cannot be told apart by trivial cues: background (smooth gradients, low-frequency
texture, hexagonal nano-pattern templates), a substrate band with small interface nodules, the
letterbox bands of exported images, blur, shot noise, scan-line noise, JPEG compression, and a
final random affine grey mapping that draws mean and contrast independently of the class.

Rendering is 2x supersampled then area-downsampled, so thin branches are anti-aliased like in a
resampled micrograph. Every image is a pure function of its seed.
"""
from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image
from scipy import ndimage as ndi

CLASSES = ["dendritic", "spherical"]
SUPERSAMPLE = 2
# Smallest share of the visible field the deposit must cover.
MIN_COVERAGE = 0.03
# Smallest contrast between the deposit and its surroundings in the finished image (see
# deposit_visibility), per class; below it the image is redrawn, so no label is attached to an
# empty field. Lower for spheres: their rims show even when level and spread barely differ.
MIN_VISIBILITY = (0.5, 0.3)
MAX_ATTEMPTS = 6


# ----------------------------------------------------------------------------- helpers

def smooth_noise(rng: np.random.Generator, size: int, sigma: float) -> np.ndarray:
    """Zero-mean, unit-std low-frequency noise (Gaussian-filtered white noise)."""
    small = max(8, int(size / max(sigma / 4, 1)))
    field = rng.standard_normal((small, small)).astype(np.float32)
    field = ndi.gaussian_filter(field, sigma=max(1.0, small * sigma / size))
    field = np.asarray(Image.fromarray(field).resize((size, size), Image.BICUBIC))
    field = field - field.mean()
    return field / (field.std() + 1e-6)


def stamp_points(size: int, xs: np.ndarray, ys: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Union of discs (x, y, r) as a boolean mask; discs grouped by radius and rasterised via EDT."""
    mask = np.zeros((size, size), dtype=bool)
    if len(xs) == 0:
        return mask
    r_rounded = np.maximum(0.5, np.round(radii * 2) / 2)
    for r in np.unique(r_rounded):
        sel = r_rounded == r
        px = np.clip(np.round(xs[sel]).astype(int), 0, size - 1)
        py = np.clip(np.round(ys[sel]).astype(int), 0, size - 1)
        inside = (xs[sel] > -r) & (xs[sel] < size + r) & (ys[sel] > -r) & (ys[sel] < size + r)
        if not inside.any():
            continue
        seeds = np.ones((size, size), dtype=bool)
        seeds[py[inside], px[inside]] = False
        pad = int(math.ceil(r)) + 1
        ys0, ys1 = max(0, py[inside].min() - pad), min(size, py[inside].max() + pad + 1)
        xs0, xs1 = max(0, px[inside].min() - pad), min(size, px[inside].max() + pad + 1)
        dist = ndi.distance_transform_edt(seeds[ys0:ys1, xs0:xs1])
        mask[ys0:ys1, xs0:xs1] |= dist <= r
    return mask


def sem_shading(mask: np.ndarray, rng: np.random.Generator, size_hint: float) -> np.ndarray:
    """Secondary-electron look of a deposit mask: bright rims (edge effect), thin parts bright,
    flatter interiors darker, a little directional shading."""
    m = mask.astype(np.float32)
    dist = ndi.distance_transform_edt(mask).astype(np.float32)
    rim_width = rng.uniform(0.8, 2.5) * SUPERSAMPLE
    rim = np.exp(-np.maximum(dist - 0.5, 0) / rim_width) * m
    interior = rng.uniform(0.35, 0.8)
    body = m * (interior + (1 - interior) * rim)
    soft = ndi.gaussian_filter(m, sigma=max(1.0, size_hint / 3))
    gy, gx = np.gradient(soft)
    angle = rng.uniform(0, 2 * math.pi)
    directional = (math.cos(angle) * gx + math.sin(angle) * gy) * size_hint * rng.uniform(0.0, 1.2)
    return np.clip(body + directional * m, 0, 1.5)


# ----------------------------------------------------------------------------- backgrounds

def background(rng: np.random.Generator, size: int) -> tuple[np.ndarray, dict]:
    """Grey-level background in roughly [0, 1] plus the layout (substrate line) it implies."""
    base = rng.uniform(0.2, 0.6)
    bg = np.full((size, size), base, np.float32)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    g = rng.uniform(-0.15, 0.15, 2)
    bg += g[0] * (xx - 0.5) + g[1] * (yy - 0.5)
    bg += rng.uniform(0.0, 0.08) * smooth_noise(rng, size, rng.uniform(30, 120))
    if rng.random() < 0.35:
        bg = foil_texture(rng, bg)
    if rng.random() < 0.4:
        bg = hex_template(rng, bg)
    layout = {"substrate_y": None}
    return bg, layout


def foil_texture(rng: np.random.Generator, bg: np.ndarray) -> np.ndarray:
    """A flat metal foil seen from above (the copper current collector): faint parallel rolling
    marks at a random angle and a fine grain speckle. Drawn for both classes, so a flat, slightly
    textured substrate says nothing about the class (whiskers lie on it, nodules sit on it)."""
    size = bg.shape[0]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    angle = rng.uniform(0, math.pi)
    across = (math.cos(angle) * xx + math.sin(angle) * yy) / size  # coordinate across the marks
    profile = rng.standard_normal(4 * size).astype(np.float32)
    profile = ndi.gaussian_filter1d(profile, rng.uniform(0.7, 3.0) * SUPERSAMPLE)
    profile /= profile.std() + 1e-6
    index = np.clip(((across + 1.5) / 3.0 * (4 * size - 1)).astype(int), 0, 4 * size - 1)
    marks = profile[index]
    speckle = smooth_noise(rng, size, rng.uniform(1.5, 4) * SUPERSAMPLE)
    return bg + rng.uniform(0.01, 0.05) * marks + rng.uniform(0.0, 0.04) * speckle


# Lattice pitch (output px) from which raised discs are kept faint (see hex_template).
COARSE_PITCH = 20


def hex_template(rng: np.random.Generator, bg: np.ndarray) -> np.ndarray:
    """Nano-patterned template: a hexagonal lattice of shallow pits (faint discs with rims)."""
    size = bg.shape[0]
    # 7-50 px between pit centres in the output image, log-uniform: real templates range from fine
    # dot lattices to pits about as big as small spherical deposits (Ag on a 100 nm pitch).
    pitch = math.exp(rng.uniform(math.log(7), math.log(50))) * SUPERSAMPLE
    radius = pitch * rng.uniform(0.25, 0.45)
    theta = rng.uniform(0, math.pi / 3)
    rows = int(size / (pitch * 0.866)) + 4
    cols = int(size / pitch) + 4
    j, i = np.mgrid[-2:rows, -2:cols]
    px = (i + 0.5 * (j % 2)) * pitch
    py = j * pitch * 0.866
    c, s = math.cos(theta), math.sin(theta)
    x = c * (px - size / 2) - s * (py - size / 2) + size / 2
    y = s * (px - size / 2) + c * (py - size / 2) + size / 2
    discs = stamp_points(size, x.ravel(), y.ravel(), np.full(x.size, radius))
    edge = discs ^ ndi.binary_erosion(discs, iterations=max(1, int(radius / 5)))
    # Coarse lattices of raised discs look like a layer of spheres when strong; on real templates
    # (Ag, 100 nm pitch) they are faint, so only pits (darker discs) get strong contrast there.
    raised = rng.random() < 0.5
    faint_only = raised and pitch >= COARSE_PITCH * SUPERSAMPLE
    contrast = rng.uniform(0.02, 0.08 if faint_only else 0.2) * (1 if raised else -1)
    return bg + contrast * discs + abs(contrast) * rng.uniform(0, 0.8) * edge


def substrate_band(rng: np.random.Generator, img: np.ndarray, y0: float) -> np.ndarray:
    """Side view: the electrode below y0 (different grey, own texture) and a bright interface."""
    size = img.shape[0]
    yy = np.arange(size, dtype=np.float32)[:, None]
    tilt = rng.uniform(-0.06, 0.06) * (np.arange(size, dtype=np.float32)[None, :] - size / 2)
    below = (yy > y0 + tilt).astype(np.float32)
    below = ndi.gaussian_filter(below, 1.0)
    level = rng.uniform(0.25, 0.85)
    texture = rng.uniform(0.0, 0.05) * smooth_noise(rng, size, rng.uniform(10, 60))
    img = img * (1 - below) + (level + texture) * below
    line = np.exp(-((yy - (y0 + tilt)) ** 2) / (2 * (rng.uniform(1, 4) * SUPERSAMPLE) ** 2))
    return img + rng.uniform(0.0, 0.35) * line


def interface_nodules(rng: np.random.Generator, size: int, y0: float, tilt: float) -> np.ndarray:
    """Small bright grains along the substrate interface (present in real Ag dendrite images)."""
    n = int(rng.uniform(0, 1) ** 2 * size / 5)
    xs = rng.uniform(0, size, n)
    rs = rng.lognormal(math.log(2.5 * SUPERSAMPLE), 0.4, n)
    ys = y0 + tilt * (xs - size / 2) - rs * rng.uniform(0.2, 1.0, n)
    return stamp_points(size, xs, ys, rs)


# ----------------------------------------------------------------------------- dendritic

def grow_tree(rng, pts, x, y, angle, length, radius, depth, style) -> None:
    """Appends the disc samples (x, y, r) of one branch and recursively its side branches."""
    step = max(0.7, radius * 0.7)
    n_steps = max(2, int(length / step))
    wiggle = style["wiggle"]
    branch_every = style["branch_every"] * (0.6 + 0.8 * rng.random())
    since_branch = rng.uniform(0, branch_every)
    side = rng.choice([-1, 1])
    a = angle
    for k in range(n_steps):
        a += rng.normal(0, wiggle) + style["bias"] * math.sin(style["up"] - a) * 0.05
        x += math.cos(a) * step
        y += math.sin(a) * step
        frac = k / n_steps
        r = radius * (1 - style["taper"] * frac)
        pts.append((x, y, max(0.5, r)))
        since_branch += step
        if depth > 0 and since_branch > branch_every and frac < 0.92:
            since_branch = 0
            if not style["alternate"]:
                side = rng.choice([-1, 1])
            else:
                side = -side
            child_angle = a + side * rng.normal(style["branch_angle"], 0.15)
            child_len = length * (1 - frac) * rng.uniform(0.3, 0.75) * style["child_scale"]
            if child_len > 3 * SUPERSAMPLE:
                grow_tree(rng, pts, x, y, child_angle, child_len, max(0.5, r * rng.uniform(*style["child_radius"])),
                          depth - 1, style)
    if style["tip_blobs"] and rng.random() < style["tip_blobs"]:
        pts.append((x, y, radius * rng.uniform(*style["tip_radius"])))


def random_tree_style(rng: np.random.Generator, kind: str) -> dict:
    fern = kind == "fern"
    if kind == "feather":  # leafy fronds: dense short side branches ending in lobes
        return {
            "wiggle": rng.uniform(0.05, 0.2), "branch_every": rng.uniform(2, 5) * SUPERSAMPLE,
            "branch_angle": rng.uniform(0.6, 1.2), "alternate": bool(rng.random() < 0.5),
            "child_scale": rng.uniform(0.25, 0.6), "taper": rng.uniform(0.1, 0.5),
            "tip_blobs": rng.uniform(0.3, 0.9), "bias": rng.uniform(0.5, 2.0), "up": -math.pi / 2,
            # real leafy Ag dendrites have lobes about as thick as their stem, with rounded tips
            "child_radius": (0.8, 1.15), "tip_radius": (1.4, 3.0),
        }
    return {
        "wiggle": rng.uniform(0.02, 0.08) if fern else rng.uniform(0.06, 0.3),
        "branch_every": rng.uniform(3, 10) * SUPERSAMPLE if fern else rng.uniform(6, 25) * SUPERSAMPLE,
        "branch_angle": rng.uniform(0.9, 1.3) if fern else rng.uniform(0.4, 1.1),
        "alternate": bool(fern or rng.random() < 0.5),
        "child_scale": rng.uniform(0.5, 0.9) if fern else rng.uniform(0.6, 1.2),
        "taper": rng.uniform(0.2, 0.7),
        "tip_blobs": rng.uniform(0, 0.6) if not fern else 0.0,
        "bias": rng.uniform(0, 1.5),
        "up": -math.pi / 2,
        "child_radius": (0.55, 0.9), "tip_radius": (1.2, 2.5),
    }


def whisker_points(rng: np.random.Generator, x: float, y: float, angle: float, length: float,
                   radius: float, wiggle: float, kink_rate: float) -> list[tuple[float, float, float]]:
    """Disc samples of one lithium whisker: a thin filament of nearly constant width that bends
    smoothly and now and then kinks (whiskers grow from their root and change direction at defects)."""
    step = max(0.7, radius * 0.7)
    pts = []
    for _ in range(max(2, int(length / step))):
        angle += rng.normal(0, wiggle)
        if rng.random() < kink_rate * step:
            angle += rng.normal(0, 0.9)
        x += math.cos(angle) * step
        y += math.sin(angle) * step
        pts.append((x, y, radius))
    return pts


def whiskers_mask(rng: np.random.Generator, size: int, scale: float) -> np.ndarray:
    """Top view of whiskers lying on a flat substrate (lithium plated at low capacity): a few to a few
    dozen thin, long, curved filaments, some crossing, some with a small nodule at the tip."""
    pts: list[tuple[float, float, float]] = []
    n = int(rng.uniform(4, 45) / scale)
    wiggle = rng.uniform(0.01, 0.09)
    kink_rate = rng.uniform(0.0, 0.01)
    for _ in range(max(2, n)):
        radius = rng.uniform(0.4, 1.4) * SUPERSAMPLE * scale
        x, y = rng.uniform(-0.1, 1.1, 2) * size
        filament = whisker_points(rng, x, y, rng.uniform(0, 2 * math.pi), rng.uniform(0.1, 0.7) * size,
                                  radius, wiggle, kink_rate / SUPERSAMPLE)
        pts.extend(filament)
        if rng.random() < 0.25:
            tip_x, tip_y, _ = filament[-1]
            pts.append((tip_x, tip_y, radius * rng.uniform(1.3, 2.2)))
    arr = np.array(pts, dtype=np.float32)
    return stamp_points(size, arr[:, 0], arr[:, 1], arr[:, 2])


def mossy_layer(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Mossy lithium: a porous felt of thin, tortuous, entangled filaments (whiskers growing from
    their roots and branching), in two or three depth layers, the deeper ones dimmer, with holes
    through the felt. Returns (brightness, mask)."""
    layers = int(rng.integers(2, 4))
    # Where the felt is: a thresholded low-frequency field leaves pores and bare patches.
    felt = smooth_noise(rng, size, rng.uniform(25, 90) * SUPERSAMPLE) > rng.uniform(-0.8, 0.3)
    radius_scale = rng.uniform(0.45, 1.3) * SUPERSAMPLE
    bright = np.zeros((size, size), np.float32)
    mask = np.zeros((size, size), bool)
    for layer in range(layers):
        style = {
            "wiggle": rng.uniform(0.15, 0.45), "branch_every": rng.uniform(4, 14) * SUPERSAMPLE,
            "branch_angle": rng.uniform(0.5, 1.4), "alternate": bool(rng.random() < 0.5),
            "child_scale": rng.uniform(0.4, 0.9), "taper": rng.uniform(0.0, 0.3),
            "tip_blobs": rng.uniform(0.0, 0.35), "bias": 0.0, "up": 0.0,
            "child_radius": (0.7, 1.0), "tip_radius": (1.2, 2.0),
        }
        pts: list[tuple[float, float, float]] = []
        n = int(rng.uniform(60, 220))
        starts = rng.uniform(0, size, (n, 2))
        inside = felt[np.clip(starts[:, 1].astype(int), 0, size - 1), np.clip(starts[:, 0].astype(int), 0, size - 1)]
        for x, y in starts[inside]:
            a = rng.uniform(0, 2 * math.pi)
            style["up"] = a
            grow_tree(rng, pts, float(x), float(y), a, rng.uniform(0.04, 0.2) * size,
                      radius_scale * rng.uniform(0.7, 1.3), int(rng.integers(1, 3)), style)
        if not pts:
            continue
        arr = np.array(pts, dtype=np.float32)
        layer_mask = stamp_points(size, arr[:, 0], arr[:, 1], arr[:, 2])
        depth = 1.0 if layer == layers - 1 else rng.uniform(0.35, 0.75)
        shade = sem_shading(layer_mask, rng, size_hint=2 * SUPERSAMPLE) * depth
        bright = np.where(layer_mask, shade, bright)
        mask |= layer_mask
    return bright, mask


def dendritic_layer(rng: np.random.Generator, size: int, layout: dict) -> tuple[np.ndarray | None, np.ndarray, bool]:
    """(own brightness or None for the default SEM shading, mask, whether the deposit is a dense,
    porous mat whose gaps show the dark depth below)."""
    kind = rng.choice(["side_forest", "top_trees", "fern", "needles", "radial", "whiskers", "mossy"],
                      p=[0.28, 0.12, 0.1, 0.1, 0.1, 0.16, 0.14])
    if kind == "mossy":
        bright, mask = mossy_layer(rng, size)
        return bright, mask, True
    if kind == "whiskers":
        return None, whiskers_mask(rng, size, rng.uniform(0.6, 1.4)), False
    return None, dendritic_mask(rng, size, layout, kind), False


def dendritic_mask(rng: np.random.Generator, size: int, layout: dict, kind: str) -> np.ndarray:
    pts: list[tuple[float, float, float]] = []
    scale = rng.uniform(0.5, 1.6)
    if kind in ("side_forest", "fern") and layout["substrate_y"] is not None:
        y0 = layout["substrate_y"]
        n_trees = int(rng.uniform(2, 14) / scale)
        forest_style = "feather" if rng.random() < 0.5 else "tree"
        for _ in range(max(1, n_trees)):
            style = random_tree_style(rng, "fern" if kind == "fern" else forest_style)
            style["up"] = -math.pi / 2
            x = rng.uniform(0, size)
            height = rng.uniform(0.1, 0.9) * y0
            depth = int(rng.integers(2, 4))
            grow_tree(rng, pts, x, y0, -math.pi / 2 + rng.normal(0, 0.25), height,
                      rng.uniform(0.6, 2.2) * SUPERSAMPLE * scale, depth, style)
    elif kind == "radial":
        cx, cy = rng.uniform(0.2, 0.8, 2) * size
        n_arms = int(rng.integers(3, 9))
        style = random_tree_style(rng, "tree")
        for i in range(n_arms):
            a = 2 * math.pi * i / n_arms + rng.normal(0, 0.3)
            style["up"] = a
            grow_tree(rng, pts, cx, cy, a, rng.uniform(0.3, 0.7) * size,
                      rng.uniform(0.6, 2.0) * SUPERSAMPLE * scale, 3, style)
    elif kind == "needles":
        n = int(rng.uniform(8, 60) / scale)
        base_angle = rng.uniform(0, math.pi)
        spread = rng.uniform(0.2, math.pi)
        for _ in range(n):
            style = random_tree_style(rng, "tree")
            style["wiggle"] = rng.uniform(0.0, 0.05)
            style["branch_every"] = rng.uniform(20, 80) * SUPERSAMPLE
            style["tip_blobs"] = 0.0
            a = base_angle + rng.uniform(-spread, spread)
            style["up"] = a
            grow_tree(rng, pts, rng.uniform(-0.1, 1.1) * size, rng.uniform(-0.1, 1.1) * size, a,
                      rng.uniform(0.15, 0.8) * size, rng.uniform(0.5, 1.8) * SUPERSAMPLE * scale,
                      int(rng.integers(0, 2)), style)
    else:  # top view trees or fern without substrate: start anywhere, grow anywhere
        n_trees = int(rng.uniform(1, 8) / scale)
        for _ in range(max(1, n_trees)):
            style = random_tree_style(rng, "fern" if kind == "fern" else "tree")
            a = rng.uniform(0, 2 * math.pi)
            style["up"] = a
            grow_tree(rng, pts, rng.uniform(0, size), rng.uniform(0, size), a, rng.uniform(0.3, 0.9) * size,
                      rng.uniform(0.6, 2.2) * SUPERSAMPLE * scale, int(rng.integers(2, 4)), style)
    if not pts:
        return np.zeros((size, size), bool)
    arr = np.array(pts, dtype=np.float32)
    return stamp_points(size, arr[:, 0], arr[:, 1], arr[:, 2])


# ----------------------------------------------------------------------------- spherical

def nodule_layer(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Compact nodular / granular lithium seen from above: densely packed, irregular rounded grains
    (lobed outlines, not circles), either evenly packed or gathered into cauliflower-like clumps,
    rendered back to front with the SEM edge effect (bright outlines where the surface turns away),
    a faint wrinkled skin, one-sided shading, and dark crevices where grains meet. Returns
    (brightness, mask); the caller darkens the gaps between them."""
    r_med = math.exp(rng.uniform(math.log(3.5), math.log(13))) * SUPERSAMPLE
    sigma = rng.uniform(0.15, 0.45)
    area = size * size / (math.pi * r_med ** 2)
    if rng.random() < 0.4:  # clumps of grains with gaps between the clumps
        clump_r = r_med * rng.uniform(2.5, 6)
        n_clumps = max(1, int(size * size / (math.pi * clump_r ** 2) * rng.uniform(0.6, 1.4)))
        cx, cy = rng.uniform(-clump_r, size + clump_r, (2, n_clumps))
        n = int(n_clumps * (clump_r / r_med) ** 2 * rng.uniform(0.9, 1.8))
        owner = rng.integers(0, n_clumps, n)
        rho = clump_r * np.sqrt(rng.random(n))
        phi = rng.uniform(0, 2 * math.pi, n)
        xs, ys = cx[owner] + rho * np.cos(phi), cy[owner] + rho * np.sin(phi)
    else:
        n = int(area * rng.uniform(1.0, 1.9))
        xs, ys = rng.uniform(-r_med, size + r_med, (2, n))
    rs = np.clip(rng.lognormal(math.log(r_med), sigma, n), 1.5 * SUPERSAMPLE, size / 4)
    lobe_amp = rng.uniform(0.08, 0.3)
    rim_width = rng.uniform(0.6, 2.5) * SUPERSAMPLE  # the SEM edge effect: a thin bright outline
    interior = rng.uniform(0.15, 0.55)
    rim_gain = rng.uniform(0.6, 1.2)
    light = rng.uniform(0, 2 * math.pi)
    lx, ly = math.cos(light), math.sin(light)
    directional = rng.uniform(0.05, 0.3)
    skin = rng.uniform(0.0, 0.2) * smooth_noise(rng, size, rng.uniform(1.5, 4) * SUPERSAMPLE)
    bright = np.zeros((size, size), np.float32)
    mask = np.zeros((size, size), bool)
    zbuf = np.full((size, size), -np.inf, np.float32)
    owner = np.full((size, size), -1, np.int32)
    for idx in np.argsort(rng.random(n)):
        x, y, r = xs[idx], ys[idx], rs[idx]
        reach = r * (1 + 2 * lobe_amp)
        x0, x1 = int(max(0, x - reach - 1)), int(min(size, x + reach + 2))
        y0, y1 = int(max(0, y - reach - 1)), int(min(size, y + reach + 2))
        if x0 >= x1 or y0 >= y1:
            continue
        gy, gx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        dx, dy = gx - x, gy - y
        rho = np.sqrt(dx * dx + dy * dy)
        direction = (dx + 1j * dy) / np.maximum(rho, 1e-6)  # e^(i theta)
        outline = np.ones_like(rho)
        power = direction
        for k in range(2, 6):  # lobes: low angular harmonics of the outline, cos(k theta + phase)
            power = power * direction
            phase = np.exp(1j * rng.uniform(0, 2 * math.pi))
            outline += rng.uniform(0, lobe_amp) / (k - 1) * (power * phase).real
        d = rho / (r * np.maximum(outline, 0.4))
        inside = d < 1
        if not inside.any():
            continue
        h = np.sqrt(np.clip(1 - d * d, 0, 1))
        z = h * r + rng.uniform(0, 1.5) * r  # grains stack at random depths
        sub_z = zbuf[y0:y1, x0:x1]
        win = inside & (z > sub_z)
        from_edge = (1 - d) * r * np.maximum(outline, 0.4)  # ~ distance to the outline
        shade = interior + rim_gain * np.exp(-from_edge / rim_width) + 0.15 * h
        shade = shade + directional * (dx * lx + dy * ly) / r + skin[y0:y1, x0:x1] * h
        bright[y0:y1, x0:x1][win] = shade[win]
        sub_z[win] = z[win]
        owner[y0:y1, x0:x1][win] = idx
        mask[y0:y1, x0:x1] |= inside
    # Dark crevices where two grains meet (not along the deposit's outer outline, which the edge
    # effect keeps bright).
    below, right = np.roll(owner, 1, axis=0), np.roll(owner, 1, axis=1)
    crevices = mask & (((owner != below) & (below >= 0)) | ((owner != right) & (right >= 0)))
    bright[crevices] *= rng.uniform(0.2, 0.6)
    return bright, mask


def sphere_layer(rng: np.random.Generator, size: int, layout: dict) -> tuple[np.ndarray, np.ndarray, bool]:
    """Packed polydisperse spheres rendered back to front. Returns (brightness, mask, whether the
    deposit is a dense mat whose gaps show the dark depth below)."""
    kind = rng.choice(["packed", "sparse", "pile", "grains", "nodules"], p=[0.24, 0.14, 0.18, 0.14, 0.3])
    if kind == "nodules":
        bright, mask = nodule_layer(rng, size)
        return bright, mask, True
    if kind == "pile" and layout["substrate_y"] is None:
        kind = "packed"
    r_med = rng.uniform(3, 28) * SUPERSAMPLE
    sigma = rng.uniform(0.1, 0.55)
    if kind == "packed" or kind == "grains":
        n = int(size * size / (math.pi * r_med ** 2) * rng.uniform(0.8, 2.5))
        xs, ys = rng.uniform(-r_med, size + r_med, (2, n))
    elif kind == "sparse":
        n = int(size * size / (math.pi * r_med ** 2) * rng.uniform(0.08, 0.5))
        cx, cy = rng.uniform(0, size, (2, max(1, n // 6)))
        owner = rng.integers(0, len(cx), n)
        spread = rng.uniform(0.05, 0.5) * size
        xs = cx[owner] + rng.normal(0, spread, n)
        ys = cy[owner] + rng.normal(0, spread, n)
    else:  # pile on the substrate: density falls off with height above it
        y0 = layout["substrate_y"]
        n = int(size * y0 / (math.pi * r_med ** 2) * rng.uniform(0.3, 1.5))
        xs = rng.uniform(0, size, n)
        heights = rng.exponential(rng.uniform(0.1, 0.6) * y0, n)
        ys = y0 - heights
    n = len(xs)
    rs = np.clip(rng.lognormal(math.log(r_med), sigma, n), 1.5 * SUPERSAMPLE, size / 3)
    order = np.argsort(rng.random(n))
    bright = np.zeros((size, size), np.float32)
    mask = np.zeros((size, size), bool)
    zbuf = np.full((size, size), -np.inf, np.float32)
    light = rng.uniform(0, 2 * math.pi)
    lx, ly = math.cos(light), math.sin(light)
    rim_power = rng.uniform(2, 6)
    interior = rng.uniform(0.3, 0.75)
    squash = rng.uniform(0.75, 1.0) if kind != "grains" else rng.uniform(0.6, 0.9)
    for idx in order:
        x, y, r = xs[idx], ys[idx], rs[idx]
        x0, x1 = int(max(0, x - r - 1)), int(min(size, x + r + 2))
        y0_, y1 = int(max(0, y - r - 1)), int(min(size, y + r + 2))
        if x0 >= x1 or y0_ >= y1:
            continue
        gy, gx = np.mgrid[y0_:y1, x0:x1].astype(np.float32)
        dx, dy = (gx - x) / r, (gy - y) / (r * squash)
        d2 = dx * dx + dy * dy
        inside = d2 < 1
        if not inside.any():
            continue
        h = np.sqrt(np.clip(1 - d2, 0, 1))
        z = h * r + (0 if kind != "pile" else (y - layout["substrate_y"]) * -0.0) + r * 0.5
        if kind == "grains":
            z = h * r  # grains deform each other: the nearest centre wins -> polygonal contacts
        sub_z = zbuf[y0_:y1, x0:x1]
        win = inside & (z > sub_z)
        # SE yield rises towards the rim (tilt), plus a Lambertian-ish directional term
        shade = interior + (1 - interior) * (1 - h) ** (1 / rim_power) * 0.9
        shade = shade + 0.25 * (dx * lx + dy * ly) * rng.uniform(0.3, 1.0)
        sub_b = bright[y0_:y1, x0:x1]
        sub_b[win] = shade[win]
        sub_z[win] = z[win]
        mask[y0_:y1, x0:x1] |= inside
    if kind == "grains":
        # dark crevices at the boundaries between touching grains
        owner_edges = ndi.generic_gradient_magnitude(zbuf.clip(-1, None), ndi.sobel) > rng.uniform(2, 6)
        bright[owner_edges & mask] *= rng.uniform(0.3, 0.7)
    return bright, mask, kind in ("packed", "grains")


# ----------------------------------------------------------------------------- imaging

def imaging(rng: np.random.Generator, img: np.ndarray, out_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Supersampled scene -> 8-bit micrograph: area downsample, blur, grey mapping, noise, JPEG.
    Also returns which rows still show the scene (False under a letterbox band)."""
    img = np.asarray(Image.fromarray(img.astype(np.float32)).resize((out_size, out_size), Image.BOX))
    img = ndi.gaussian_filter(img, rng.uniform(0.2, 1.3))
    # class-independent grey mapping: draw the mean and the contrast, then a gamma
    target_mean = rng.uniform(0.15, 0.6)
    target_std = rng.uniform(0.06, 0.22)
    img = (img - img.mean()) / (img.std() + 1e-6) * target_std + target_mean
    img = np.clip(img, 0, 1) ** rng.uniform(0.75, 1.35)
    # charging / detector non-uniformity
    img = img * (1 + rng.uniform(0, 0.15) * smooth_noise(rng, out_size, rng.uniform(40, 200)))
    # shot noise at a random dose, then per-line scan noise
    dose = math.exp(rng.uniform(math.log(15), math.log(300)))
    img = rng.poisson(np.clip(img, 0, 1.5) * dose).astype(np.float32) / dose
    img = ndi.gaussian_filter(img, rng.uniform(0.0, 0.8))
    img += rng.uniform(0, 0.015) * rng.standard_normal((out_size, 1)).astype(np.float32)
    img = np.clip(img, 0, 1)
    shown_rows = np.ones(out_size, bool)
    if rng.random() < 0.15:  # letterbox bands of a padded export
        top = int(rng.uniform(0, 0.2) * out_size)
        bottom = int(rng.uniform(0, 0.2) * out_size)
        img[:top] = 0
        shown_rows[:top] = False
        if bottom:
            img[-bottom:] = 0
            shown_rows[-bottom:] = False
    u8 = (img * 255 + 0.5).astype(np.uint8)
    if rng.random() < 0.5:
        buf = io.BytesIO()
        Image.fromarray(u8).save(buf, format="JPEG", quality=int(rng.integers(40, 95)))
        u8 = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return u8, shown_rows


def porous_gaps(rng: np.random.Generator, scene: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Darkens the background between the parts of a dense deposit: the secondary electrons from
    the bottom of a pore or crevice mostly do not escape, so gaps look dark."""
    around = ndi.gaussian_filter(mask.astype(np.float32), rng.uniform(2, 8) * SUPERSAMPLE)
    depth = np.clip(around * rng.uniform(1.0, 2.0), 0, 1) * rng.uniform(0.4, 0.9)
    return np.where(mask, scene, scene * (1 - depth))


def cast_shadow(rng: np.random.Generator, scene: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A short, soft shadow of the deposit on the substrate on the side away from the detector."""
    angle = rng.uniform(0, 2 * math.pi)
    length = rng.uniform(1, 4) * SUPERSAMPLE
    shadow = ndi.shift(ndi.gaussian_filter(mask.astype(np.float32), SUPERSAMPLE),
                       (length * math.sin(angle), length * math.cos(angle)), order=1)
    return np.where(mask, scene, scene * (1 - rng.uniform(0.2, 0.6) * np.clip(shadow, 0, 1)))


def deposit_visibility(image: np.ndarray, mask: np.ndarray) -> float:
    """How clearly the deposit stands out in the finished image: the grey-level difference between
    deposit pixels and the pixels just around them, in units of the image's standard deviation.
    Dark deposits on a dark field, or deposits drowned in noise, score near 0."""
    if mask.sum() < 12:
        return 0.0
    ring = ndi.binary_dilation(mask, iterations=3) & ~mask
    if ring.sum() < 12:  # the deposit fills the field: compare with whatever is left
        ring = ~mask
    if ring.sum() < 12:
        return float("inf")
    pixels = image.astype(np.float32)
    inside, around = pixels[mask], pixels[ring]
    # level (a brighter or darker deposit) plus texture (rims and shading inside the deposit)
    difference = abs(inside.mean() - around.mean()) + abs(inside.std() - around.std())
    return float(difference / (pixels.std() + 1.0))


def render(seed: int, label: int, out_size: int = 256) -> np.ndarray:
    """One micrograph (uint8, out_size x out_size) of class `label`, a pure function of `seed`."""
    return render_sample(seed, label, out_size)[0]


def render_sample(seed: int, label: int, out_size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(micrograph uint8, visible deposit mask bool), both out_size x out_size, a pure function of
    `seed`. A draw whose deposit does not visibly stand out is redrawn (up to MAX_ATTEMPTS)."""
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for attempt in range(MAX_ATTEMPTS):
        image, mask = _render_attempt(np.random.default_rng([seed, label, 7, attempt]), label, out_size)
        visibility = deposit_visibility(image, mask)
        if visibility >= MIN_VISIBILITY[label]:
            return image, mask
        if best is None or visibility > best[0]:
            best = (visibility, image, mask)
    assert best is not None
    return best[1], best[2]


def _render_attempt(rng: np.random.Generator, label: int, out_size: int) -> tuple[np.ndarray, np.ndarray]:
    size = out_size * SUPERSAMPLE
    bg, layout = background(rng, size)
    side_view = rng.random() < 0.5
    tilt = 0.0
    if side_view:
        layout["substrate_y"] = rng.uniform(0.55, 1.0) * size
    scene = bg
    deposit_level = rng.uniform(0.2, 0.6) * rng.choice([1, 1, 1, -0.6])
    # Every image must actually show its class: redraw deposits that are (almost) invisible,
    # e.g. trees hidden below the substrate line or a sparse cluster outside the field.
    visible_rows = int(layout["substrate_y"]) if side_view else size
    for _ in range(8):
        if label == 0:
            shade, mask, dense = dendritic_layer(rng, size, layout)
        else:
            shade, mask, dense = sphere_layer(rng, size, layout)
        if mask[:visible_rows].mean() * size / max(visible_rows, 1) >= MIN_COVERAGE:
            break
    # Shared by both classes: the gaps of a dense, porous deposit (mossy felt, packed nodules)
    # show the dark depth below it, and any deposit may cast a short shadow on the substrate.
    if rng.random() < (0.85 if dense else 0.1):
        scene = porous_gaps(rng, scene, mask)
    if rng.random() < 0.35:
        scene = cast_shadow(rng, scene, mask)
    if label == 0:
        if shade is None:
            shade = sem_shading(mask, rng, size_hint=3 * SUPERSAMPLE)
        scene = scene * (1 - mask) + (scene + deposit_level * 0.3 + shade * abs(deposit_level) * 1.3) * mask
    else:
        scene = scene * (1 - mask) + (scene * 0.3 + shade * (0.3 + abs(deposit_level) * 1.2)) * mask
        if rng.random() < 0.5:
            scene = scene - rng.uniform(0.0, 0.2) * (ndi.gaussian_filter(mask.astype(np.float32), 3 * SUPERSAMPLE) - mask)
    if side_view:
        y0 = layout["substrate_y"]
        scene = substrate_band(rng, scene, y0)
        nod = interface_nodules(rng, size, y0, tilt)
        scene = np.where(nod, scene + sem_shading(nod, rng, 2 * SUPERSAMPLE) * 0.5, scene)
        mask = mask & (np.arange(size)[:, None] < y0)  # the substrate band covers what is below
    image, shown_rows = imaging(rng, scene, out_size)
    coverage = np.asarray(Image.fromarray(mask.astype(np.float32)).resize((out_size, out_size), Image.BOX))
    return image, (coverage >= 0.25) & shown_rows[:, None]
