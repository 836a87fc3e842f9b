"""Training and evaluation of VisualCNN on the synthetic micrographs."""
from __future__ import annotations

import copy
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from visual_cnn import VisualCNN

TRAIN_CROP = 128
# A native-scale crop must show at least this share of deposit, else another position is tried:
# a crop of empty background labelled "dendritic" only teaches the network noise.
MIN_CROP_DEPOSIT = 0.01
CROP_TRIES = 8


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, H, W] -> float32 [N, 1, H, W] in [0, 1] (the contract's scaling)."""
    return torch.from_numpy(images).float().div_(255.0).unsqueeze(1)


def augment_batch(images: np.ndarray, rng: np.random.Generator, masks: np.ndarray | None = None,
                  whole: bool = False) -> np.ndarray:
    """Random 128 crops at native pixel scale (50 %) or the whole 256 image downscaled 2x (50 %,
    i.e. half the magnification, and always the whole deposit), then a random flip / quarter turn.
    With deposit masks, a native crop is placed where it shows some deposit (the best of a few
    random positions). With `whole`, the whole image at native scale (the contract input), flipped
    and turned only."""
    size = images.shape[1]
    view_size = size if whole else TRAIN_CROP
    out = np.empty((len(images), view_size, view_size), np.float32)
    for i, img in enumerate(images):
        if whole:
            view = img.astype(np.float32)
        elif rng.random() < 0.5:
            view = img.reshape(TRAIN_CROP, size // TRAIN_CROP, TRAIN_CROP, size // TRAIN_CROP).mean(axis=(1, 3))
        else:
            y, x = crop_position(size, rng, None if masks is None else masks[i])
            view = img[y:y + TRAIN_CROP, x:x + TRAIN_CROP].astype(np.float32)
        if rng.random() < 0.5:
            view = view[:, ::-1]
        view = np.rot90(view, int(rng.integers(0, 4)))
        out[i] = view
    return out


def crop_position(size: int, rng: np.random.Generator, mask: np.ndarray | None) -> tuple[int, int]:
    best, best_share = None, -1.0
    for _ in range(1 if mask is None else CROP_TRIES):
        y, x = (int(v) for v in rng.integers(0, size - TRAIN_CROP + 1, 2))
        if mask is None:
            return y, x
        share = float(mask[y:y + TRAIN_CROP, x:x + TRAIN_CROP].mean())
        if share >= MIN_CROP_DEPOSIT:
            return y, x
        if share > best_share:
            best, best_share = (y, x), share
    assert best is not None
    return best


@torch.no_grad()
def update_average(averaged: VisualCNN, model: VisualCNN, decay: float) -> None:
    """averaged <- decay * averaged + (1 - decay) * model, for every float tensor of the state
    (weights and batch-norm statistics); integer counters are copied."""
    current = model.state_dict()
    for name, value in averaged.state_dict().items():
        if value.dtype.is_floating_point:
            value.mul_(decay).add_(current[name], alpha=1 - decay)
        else:
            value.copy_(current[name])


@torch.no_grad()
def predict(model: VisualCNN, images: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """Class probabilities [N, K] on whole (256 x 256) images."""
    model.eval()
    probs = []
    for start in range(0, len(images), batch_size):
        _, logits = model(to_tensor(images[start:start + batch_size]))
        probs.append(torch.softmax(logits, dim=1).numpy())
    return np.concatenate(probs)


@torch.no_grad()
def pooled_features(model: VisualCNN, images: np.ndarray, batch_size: int = 50) -> torch.Tensor:
    """Globally average-pooled backbone features [N, C] of whole (256 x 256) images: what the
    linear head sees at inference."""
    model.eval()
    pooled = [model(to_tensor(images[start:start + batch_size]))[0].mean(dim=(2, 3))
              for start in range(0, len(images), batch_size)]
    return torch.cat(pooled)


def refit_head(model: VisualCNN, train_features: torch.Tensor, train_y: np.ndarray,
               val_features: torch.Tensor, val_y: np.ndarray, l2_grid: list[float],
               log=print) -> dict:
    """Refits the linear head on features of whole images at the contract resolution (the backbone
    was trained on 128 crops and 2x-downscaled views, so pooled statistics at 256 differ a little:
    the train/test resolution discrepancy). Softmax head, L2 penalty l2 * |W|^2, L-BFGS from the
    current head; the penalty with the best validation accuracy (ties: lower loss) is kept and
    written into `model`. Deterministic: full-batch, no sampling."""
    targets = torch.from_numpy(train_y)
    val_targets = torch.from_numpy(val_y)
    start_weight, start_bias = model.head.weight.detach().clone(), model.head.bias.detach().clone()
    best, trials = None, []
    for l2 in l2_grid:
        weight = start_weight.clone().requires_grad_(True)
        bias = start_bias.clone().requires_grad_(True)
        optimiser = torch.optim.LBFGS([weight, bias], max_iter=500, line_search_fn="strong_wolfe")

        def objective() -> torch.Tensor:
            optimiser.zero_grad()
            loss = F.cross_entropy(train_features @ weight.T + bias, targets) + l2 * weight.pow(2).sum()
            loss.backward()
            return loss

        optimiser.step(objective)
        with torch.no_grad():
            val_logits = val_features @ weight.T + bias
            trial = {"l2": l2,
                     "trainAccuracy": float(((train_features @ weight.T + bias).argmax(1) == targets).float().mean()),
                     "valAccuracy": float((val_logits.argmax(1) == val_targets).float().mean()),
                     "valLoss": float(F.cross_entropy(val_logits, val_targets))}
        trials.append(trial)
        log(f"head refit l2 {l2:g}: train acc {trial['trainAccuracy']:.4f}  val acc {trial['valAccuracy']:.4f}"
            f"  val loss {trial['valLoss']:.4f}")
        key = (trial["valAccuracy"], -trial["valLoss"])
        if best is None or key > best[0]:
            best = (key, l2, weight.detach().clone(), bias.detach().clone())
    assert best is not None
    with torch.no_grad():
        model.head.weight.copy_(best[2])
        model.head.bias.copy_(best[3])
    return {"chosenL2": best[1], "trials": trials}


def classification_metrics(labels: np.ndarray, predicted: np.ndarray, num_classes: int) -> dict:
    """Accuracy, support-weighted F1 and the confusion matrix (rows = true class)."""
    confusion = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in zip(labels, predicted):
        confusion[t, p] += 1
    support = confusion.sum(axis=1)
    f1s = []
    for k in range(num_classes):
        tp = confusion[k, k]
        precision = tp / max(confusion[:, k].sum(), 1)
        recall = tp / max(support[k], 1)
        f1s.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    return {
        "n": int(len(labels)),
        "accuracy": float(np.trace(confusion) / max(len(labels), 1)),
        "weightedF1": float(np.sum(np.array(f1s) * support) / max(support.sum(), 1)),
        "confusionMatrix": confusion.tolist(),
    }


def train(train_x: np.ndarray, train_y: np.ndarray, val_x: np.ndarray, val_y: np.ndarray, *,
          epochs: int, batch_size: int, lr: float, weight_decay: float, seed: int,
          log=print, on_best=None, init_state: dict | None = None,
          pct_start: float = 0.15, train_masks: np.ndarray | None = None,
          ema_decay: float | None = None, padding_mode: str = "zeros",
          whole_images: bool = False) -> tuple[VisualCNN, list[dict]]:
    """AdamW + one-cycle schedule; keeps the weights of the epoch with the best val accuracy
    (ties: lower val loss) measured on whole 256 x 256 images, as the model will be used.
    With ema_decay, the weights evaluated and kept are an exponential moving average of the
    trained ones (updated every step), which smooths out the last steps' noise. With whole_images,
    training sees the whole 256 x 256 images (flips and quarter turns only) instead of crops and
    downscaled views."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = VisualCNN(num_classes=2, padding_mode=padding_mode)
    if init_state is not None:
        model.load_state_dict(init_state)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = math.ceil(len(train_x) / batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=epochs * steps_per_epoch,
                                                   pct_start=pct_start)
    averaged = None if ema_decay is None else copy.deepcopy(model)
    best_state, best_key, history = None, None, []
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(train_x))
        started, loss_sum, correct = time.time(), 0.0, 0
        for step in range(steps_per_epoch):
            idx = np.sort(order[step * batch_size:(step + 1) * batch_size])
            masks = None if train_masks is None else train_masks[idx]
            batch = torch.from_numpy(augment_batch(train_x[idx], rng, masks, whole_images)).div_(255.0).unsqueeze(1)
            target = torch.from_numpy(train_y[idx])
            _, logits = model(batch)
            loss = F.cross_entropy(logits, target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            if averaged is not None:
                update_average(averaged, model, ema_decay)
            loss_sum += float(loss) * len(idx)
            correct += int((logits.argmax(1) == target).sum())
        evaluated = model if averaged is None else averaged
        val_probs = predict(evaluated, val_x)
        val_loss = float(-np.mean(np.log(val_probs[np.arange(len(val_y)), val_y] + 1e-9)))
        val_acc = float(np.mean(val_probs.argmax(1) == val_y))
        record = {"epoch": epoch + 1, "trainLoss": loss_sum / len(train_x), "trainAccuracy": correct / len(train_x),
                  "valLoss": val_loss, "valAccuracy": val_acc, "seconds": round(time.time() - started, 1)}
        history.append(record)
        log(f"epoch {record['epoch']:2d}  train loss {record['trainLoss']:.4f} acc {record['trainAccuracy']:.4f}"
            f"  val loss {val_loss:.4f} acc {val_acc:.4f}  ({record['seconds']} s)")
        key = (val_acc, -val_loss)
        if best_key is None or key > best_key:
            best_key, best_state = key, copy.deepcopy(evaluated.state_dict())
            if on_best is not None:
                on_best(best_state)
    assert best_state is not None
    model.load_state_dict(best_state)
    model.eval()
    return model, history
