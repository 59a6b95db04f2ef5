#!/usr/bin/env python3
"""Calibrates each leak of the corpus by a separate measurement: every leaky workload runs twice
side by side for a few minutes, once with its leak made K times faster (from the start) and once
with no leak, everything else the same. The leak's RSS cost per designed byte is the difference
of their least-squares slopes after the first minute, over K times the designed rate; the
calibrated rate is that factor times the designed rate.

    python3 bench/real/calibrate.py [--k 60] [--seconds 240] [--only NAME,…] [--corpus FILE --out FILE]
"""
import argparse, json, os, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
p = argparse.ArgumentParser()
p.add_argument('--k', type=float, default=60)
p.add_argument('--seconds', type=float, default=240)
p.add_argument('--only', default='')
p.add_argument('--out', default=os.path.join(here, 'calibration.csv'))
p.add_argument('--corpus', default=os.path.join(here, 'corpus.json'))
a = p.parse_args()
corpus = json.load(open(a.corpus))
leaky = [r for r in corpus['recordings'] if r['design']['leak_mib_h'] > 0 and (not a.only or r['name'] in a.only.split(','))
         and not r['name'].endswith('-long')]

def variant(run, scale, port_shift):
    """The same workload with its leak scaled (0: none) and starting at once; its own ports."""
    cmd, load = run['cmd'], run.get('load')
    cmd = re.sub(r'--leak-mib-h [\d.]+', lambda m: f"--leak-mib-h {float(m.group(0).split()[1]) * scale:g}", cmd)
    cmd = re.sub(r'--leak-start-s [\d.]+', '--leak-start-s 0', cmd)
    cmd = re.sub(r'--step-s [\d.]+', '--step-s 10', cmd)
    if run['program'] in ('java-lru', 'ets-cache'):
        cmd = re.sub(r' (\d+(?:\.\d+)?)$', lambda m: f" {float(m.group(1)) * scale:g}", cmd)
    if load:
        load = re.sub(r'--new-keys-per-s [\d.]+', lambda m: f"--new-keys-per-s {float(m.group(0).split()[1]) * scale:g}", load)
    def shift(text):
        return re.sub(r'\b7(\d{3})\b', lambda m: str(int(m.group(0)) + port_shift), text) if text else text
    v = {**run, 'name': f"{run['name']}@{'leak' if scale else 'base'}", 'cmd': shift(cmd), 'seconds': a.seconds}
    if load:
        v['load'] = shift(load)
    return v

pairs = []
for i, run in enumerate(leaky):
    pairs += [variant(run, a.k, 1000), variant(run, 0, 2000)]
spec = tempfile.NamedTemporaryFile('w', suffix='.json', delete=False)
json.dump({'recordings': pairs}, spec)
spec.close()
out = tempfile.mkdtemp(prefix='memmon-calibrate-')
subprocess.run([sys.executable, os.path.join(here, 'record.py'), '--corpus', spec.name, '--out', out], check=True)

def slope(name):
    rows = [line.split(',') for line in open(os.path.join(out, name + '.csv')).read().split('\n')[1:] if line]
    pts = [(float(t), float(v)) for t, v in rows if float(t) >= 60]
    n = len(pts)
    mt = sum(t for t, _ in pts) / n
    mv = sum(v for _, v in pts) / n
    return sum((t - mt) * (v - mv) for t, v in pts) / sum((t - mt) ** 2 for t, _ in pts)

with open(a.out, 'w') as f:
    f.write('name,designed_mib_h,k,leak_slope_mib_h,base_slope_mib_h,factor,calibrated_mib_h\n')
    for run in leaky:
        designed = run['design']['leak_mib_h']
        leak = slope(run['name'] + '@leak') * 3600 / 1048576
        base = slope(run['name'] + '@base') * 3600 / 1048576
        factor = (leak - base) / (a.k * designed)
        f.write(f"{run['name']},{designed:g},{a.k:g},{leak:.1f},{base:.1f},{factor:.3f},{designed * factor:.2f}\n")
print(open(a.out).read())
