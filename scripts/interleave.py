#!/usr/bin/env python3
"""Compare commands on a noisy machine: run them in turn, N rounds.

    scripts/interleave.py N 'CMD_A ARGS' 'CMD_B ARGS' ...

Each round runs every command once (stdout and stderr to /dev/null),
timed from spawn to exit; after 5 warm-up rounds, prints the mean, median
and minimum of each in milliseconds and, for two commands, the mean and
median of the paired differences (A - B). Why: on the 2-core VM of
docs/performance.md the wall time of the same binary drifts by 20 % within
minutes, more than most changes we measure; hyperfine times one command
after the other, so a drift lands on one side. Pairs run seconds apart
share the drift. The command that runs second in a round measured about
0.2 ms slower in an A/A test: swap the order and run again before you
believe a difference of that size.
"""
import os,sys,time,statistics,shlex
n=int(sys.argv[1]); cmds=[shlex.split(c) for c in sys.argv[2:]]
devnull=os.open('/dev/null',os.O_WRONLY)
times=[[] for _ in cmds]
fa=[(os.POSIX_SPAWN_DUP2,devnull,1),(os.POSIX_SPAWN_DUP2,devnull,2)]
for w in range(5):
    for c in cmds: os.waitpid(os.posix_spawn(c[0],c,os.environ,file_actions=fa),0)
for i in range(n):
    for k,c in enumerate(cmds):
        t=time.perf_counter(); pid=os.posix_spawn(c[0],c,os.environ,file_actions=fa); os.waitpid(pid,0); times[k].append((time.perf_counter()-t)*1000)
for k,c in enumerate(sys.argv[2:]):
    t=times[k]; print(f"{statistics.mean(t):6.2f} mean {statistics.median(t):6.2f} median {min(t):6.2f} min  {c}")
if len(cmds)==2:
    d=[a-b for a,b in zip(times[0],times[1])]; print(f"paired diff (1-2): mean {statistics.mean(d):.2f} median {statistics.median(d):.2f}")
