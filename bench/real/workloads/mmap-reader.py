# python3 mmap-reader.py FILE SIZE_MIB MIB_PER_MIN (FILE is written first if it is not SIZE_MIB)
# Reads a data file through mmap a little more each second (an index or segment store warming up):
# file-backed RSS grows until the whole file is resident, then stays. No leak.
import mmap, os, sys, time
path, size_mib, mib_per_min = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
if not os.path.exists(path) or os.path.getsize(path) != size_mib << 20:
    with open(path, 'wb') as f:
        for _ in range(size_mib): f.write(os.urandom(1 << 20))
f = open(path, 'rb'); m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
pos, total, start = 0, size_mib << 20, time.time()
while True:
    want = min(total, int((time.time() - start) * mib_per_min / 60 * (1 << 20)))
    while pos < want: _ = m[pos]; pos += 4096
    # keep touching what is resident (random reads), as a store does
    for _ in range(200):
        i = (os.urandom(4)[0] * 65536) % max(1, pos or 1); _ = m[i]
    time.sleep(1)
