#!/usr/bin/env python3
"""Do two PDFs written by yoshiki hold the same content, whatever the
compression? Every object must be identical once streams are inflated:
stream dictionaries equal except /Length and /Filter, objects inside object
streams compared one by one, the cross-reference stream ignored (it holds
byte offsets). Prints SAME CONTENT or the first differences; exit 1 if
different.

Usage: scripts/same-content.py A.pdf B.pdf
"""
import re, sys, zlib
def objects(path):
    data = open(path, 'rb').read()
    objs = {}
    for m in re.finditer(rb'(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n', data, re.S):
        d = m.group(2); L = int(re.search(rb'/Length (\d+)', d).group(1))
        raw = data[m.end():m.end()+L]
        dec = zlib.decompress(raw) if b'FlateDecode' in d else raw
        dd = re.sub(rb'/Length \d+|/Filter/FlateDecode', b'', d)
        if b'/XRef' in d:
            continue
        if b'/ObjStm' in d:
            n = int(re.search(rb'/N (\d+)', d).group(1)); first = int(re.search(rb'/First (\d+)', d).group(1))
            nums = list(map(int, dec[:first].split()))
            for i in range(n):
                num, off = nums[2*i], nums[2*i+1]
                end = nums[2*i+3] if i+1 < n else len(dec)-first
                objs[num] = ('obj', dec[first+off:first+end].strip())
            continue
        objs[int(m.group(1))] = (dd, dec)
    return objs
a, b = objects(sys.argv[1]), objects(sys.argv[2])
ok = True
if sorted(a) != sorted(b):
    print('object numbers differ', sorted(a), sorted(b)); ok = False
for k in sorted(set(a) & set(b)):
    if a[k] != b[k]:
        ok = False
        print('differs: object', k, a[k][0][:200], len(a[k][1]), len(b[k][1]))
        x, y = a[k][1], b[k][1]
        i = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
        print('  at', i, x[max(0,i-80):i+80], '\n  vs', y[max(0,i-80):i+80])
print('SAME CONTENT' if ok else 'DIFFERENT', sys.argv[1], sys.argv[2])
sys.exit(0 if ok else 1)
