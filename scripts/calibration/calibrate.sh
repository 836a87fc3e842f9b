#!/bin/sh
# Calibrates the shipped model (scripts/calibration/README.md): renders synthetic images with the
# project's generator, extracts the model's pooled features and logits through the app's own
# preprocessing and ONNX Runtime, fits the temperature and the OOD model, and writes
# models/<model>.calibration.json. Dev only: numpy + scipy (/usr/bin/python3) and node.
# usage: sh scripts/calibration/calibrate.sh [work dir] [train per class] [val per class] [test per class] [calibration per class]
set -eu
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/visual-ccc-calibration}
TRAIN=${2:-400}
VAL=${3:-300}
TEST=${4:-250}
CALIBRATION=${5:-600}
MODEL=models/visual-ccc-synthetic-v2.onnx
mkdir -p "$WORK"
/usr/bin/python3 scripts/calibration/render_synthetic.py train "$TRAIN" "$WORK/train"
/usr/bin/python3 scripts/calibration/render_synthetic.py val "$VAL" "$WORK/val"
/usr/bin/python3 scripts/calibration/render_synthetic.py test "$TEST" "$WORK/test"
/usr/bin/python3 scripts/calibration/render_synthetic.py calibration "$CALIBRATION" "$WORK/calibration"
/usr/bin/python3 scripts/calibration/render_synthetic.py ood 0 "$WORK/ood"
npx tsx --conditions=react-server scripts/calibration/extract-features.ts --model="$MODEL" "$WORK" train val test calibration ood
/usr/bin/python3 scripts/calibration/fit_calibration.py "$WORK" "$MODEL" "${MODEL%.onnx}.calibration.json"
