import torch; torch.set_num_threads(2)
from sketchcolor.losses import train_xyv_vgg
D = '/root/.cache/sketchcolor/xyv_vgg_160'
train_xyv_vgg(data_dir=f'{D}/openmoji', clipart_csv=f'{D}/openclipart/clean.csv', out='run/xyv_vgg_cpu.safetensors',
              init='weights/xyv_vgg.safetensors', size=128, epochs=3, bs=32, lr=1e-3, max_hue=0.02, noise=0.05,
              num_workers=0, progress=False)
