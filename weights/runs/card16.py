"""Print the model card's issue-16 tables (one per shipped colorizer) from weights/runs/colorizers_eval.json."""
import json, sys
import pandas as pd
from sketchcolor.evaluate import hints_markdown
res = json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'weights/runs/colorizers_eval.json'))
print(f"Images: {res['n_images']}; size {res['size']} px.\n")
for name, m in res['models'].items():
    t = pd.DataFrame(m['table']).set_index(['set', 'hint', 'method'])
    ho = m['hint_obedience']
    print(f"### `{name}`: {m['cls']}({', '.join(f'{k}={v!r}' for k, v in m['config'].items())}), {m['n_params']:,} parameters\n")
    print(hints_markdown(t) + '\n')
    print(f"Skin-tone hint obedience (OpenMoji validation, {ho['n_families']} families): L1 in the skin {ho['right']:.4f} with the "
          f"variant's own hint vs {ho['wrong']:.4f} with another's; own hint better for {ho['obeyed_fraction']:.3f} of the variants. "
          f"`colorize()` at 256 px, fp32, 2 threads: {m['colorize_256_seconds'] * 1000:.0f} ms (median of 7). Evaluated {m['measured']} in {m['seconds']} s.\n")
