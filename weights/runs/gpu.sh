#!/usr/bin/env bash
# One device run: env, data, CUDA checks, XYV-VGG training, NoGAN training, reports. MODE=tiny tests it on the CPU.
set -uo pipefail
export PYTHONUNBUFFERED=1 MPLBACKEND=Agg
MODE=${MODE:-gpu}; OUT=${OUT:-/tmp/devout}; mkdir -p $OUT
PY=${PY:-python3}
if [ "$MODE" = gpu ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
fi
D=/tmp/scdata; mkdir -p $D
t0=$(date +%s)
$PY .devrun/pack.py unpack .devrun/openmoji $D/openmoji 16 & $PY .devrun/pack.py unpackjpg .devrun/clipart $D/openclipart 16 & wait
echo "data unpacked in $(( $(date +%s) - t0 )) s"
mkdir -p run
if [ "$MODE" = gpu ]; then
  $PY .devrun/cuda_checks.py > run/cuda_checks.log 2>&1; tail -30 run/cuda_checks.log; cp $OUT/cuda_checks.json run/ 2>/dev/null
  VGG_ARGS="minutes=1.75, size=128, bs=128"; CFG=.devrun/gpu.json; TL=420
else
  VGG_ARGS="epochs=1, size=32, bs=16, max_items=96"; CFG=tiny; TL=300
fi
$PY -c "from sketchcolor.losses import train_xyv_vgg; train_xyv_vgg(data_dir='$D/openmoji', clipart_csv='$D/openclipart/clean.csv', out='run/xyv_vgg.safetensors', $VGG_ARGS, progress=False)" 2>&1 | grep -v Warning | tee run/vgg.log | tail -25
split -b 15000000 run/xyv_vgg.safetensors $OUT/vgg.part-
timeout $TL $PY -m sketchcolor.cli train $CFG --data $D/openmoji --vgg run/xyv_vgg.safetensors --out run/nogan --no-progress 2>&1 | grep -v Warning | tee run/nogan.log | tail -40
$PY -c "import json; from sketchcolor.losses import loss_report; print(json.dumps(loss_report('run/xyv_vgg.safetensors', data_dir='$D/openmoji', clipart_csv='$D/openclipart/clean.csv', n=256, size=128), indent=1, default=str))" > run/loss_report.json 2> run/loss_report.err; tail -40 run/loss_report.json; tail -3 run/loss_report.err
# bring back: weights split in 15 MB parts, logs and small files in one tarball
cp run/nogan/colorizer.safetensors run/colorizer.safetensors 2>/dev/null || cp run/nogan/generator_pregan.safetensors run/colorizer.safetensors 2>/dev/null
tar czf $OUT/run_small.tgz --exclude='*.safetensors' --exclude='checkpoints' --exclude='*.pth' run
[ -f run/colorizer.safetensors ] && split -b 15000000 run/colorizer.safetensors $OUT/col.part-
ls -la $OUT; echo "total $(( $(date +%s) - t0 )) s"
