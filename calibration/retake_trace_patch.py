#!/usr/bin/env python3
"""Patches a copy of Go's runtime (1.19 or 1.26) so that sysmon says why it retakes.

Used by retake-trace.sh, never on the system's Go. Three additions, nothing else changes:
- execute() notes on the P when it last started a G without inheriting a time slice, which G,
  and the P's syscalltick then;
- retake() prints a line each time the schedtick rule fires (the P ran one time slice for 10ms:
  "DBGPRE t=<us since start> p=<P> age=<us since that execute> nsys=<syscalls since> ..."), and
  each time it takes a P ("DBGRT t=... p=... sched=<true: schedtick rule, false: two rounds>");
- schedtrace's first line ends with the counts (rtsched, rtsys) and sysmon's current delay (us).

usage: retake_trace_patch.py GOROOT
"""
import re
import sys


def patch(goroot):
    rt = goroot + "/src/runtime/"
    proc = open(rt + "proc.go").read()
    if "dbgRetakeSched" in proc:
        return
    r2 = open(rt + "runtime2.go").read()
    new_path = "func setBlockOnExitSyscall(" in proc  # Go 1.26: no _Psyscall
    old_names = "_g_.m.p.ptr().schedtick++" in proc  # Go 1.19 spells the P _p_ and g _g_
    pv = "_p_" if old_names else "pp"
    mp = "_g_.m" if old_names else "mp"
    goid = "gp.goid" if old_names else "int64(gp.goid)"

    def sub(old, new, text, what):
        if old not in text:
            sys.exit("retake_trace_patch.py: %s not found in %s (only Go 1.19 and 1.26 are known)"
                     % (what, goroot))
        return text.replace(old, new, 1)

    m = re.search(r"\n(\tschedtick +uint32[^\n]*)\n", r2)
    if not m:
        sys.exit("retake_trace_patch.py: p.schedtick not found in runtime2.go")
    r2 = r2.replace(m.group(0), "\n" + m.group(1)
                    + "\n\tdbgLastExec  int64\n\tdbgLastG     int64\n\tdbgSysAtExec uint32\n", 1)

    tick = "\t\t%s.p.ptr().schedtick++\n" % mp
    proc = sub("\tif !inheritTime {\n" + tick + "\t}\n",
               "\tif !inheritTime {\n" + tick
               + "\t\t%s.p.ptr().dbgLastExec = nanotime()\n" % mp
               + "\t\t%s.p.ptr().dbgLastG = %s\n" % (mp, goid)
               + "\t\t%s.p.ptr().dbgSysAtExec = %s.p.ptr().syscalltick\n" % (mp, mp)
               + "\t}\n", proc, "execute's schedtick++")

    pre = ('print("DBGPRE t=", (now-runtimeInitTime)/1000, " p=", i, " age=", (now-%s.dbgLastExec)/1000,'
           ' " lastg=", %s.dbgLastG, " nsys=", %s.syscalltick-%s.dbgSysAtExec, " insyscall=", %s, "\\n")\n'
           % (pv, pv, pv, pv, "readgstatus(%s.m.ptr().curg)&^_Gscan == _Gsyscall" % pv
              if new_path else "s == _Psyscall"))
    if new_path:
        pre = "if %s.m.ptr() != nil && %s.m.ptr().curg != nil { %s }" % (pv, pv, pre.strip())
        proc = sub("\t\t\tpreemptone(pp)\n\t\t\t// If pp is in a syscall",
                   "\t\t\t" + pre + "\n\t\t\tpreemptone(pp)\n\t\t\t// If pp is in a syscall",
                   proc, "retake's preemptone")
        taken = "\t\tthread.takeP()\n\t\tthread.resume()\n\t\tn++\n"
        indent = "\t\t"
    else:
        proc = sub("\t\t\t\tpreemptone(_p_)\n", "\t\t\t\t" + pre + "\t\t\t\tpreemptone(_p_)\n",
                   proc, "retake's preemptone")
        taken = "\t\t\t\tn++\n\t\t\t\t_p_.syscalltick++\n"
        indent = "\t\t\t\t"
    rq = "int(%s.runqtail-%s.runqhead)" % (pv, pv)
    grq = "sched.runq.size" if new_path else "sched.runqsize"
    proc = sub(taken, taken
               + indent + "if sysretake { dbgRetakeSched++ } else { dbgRetakeSys++ }\n"
               + indent + 'print("DBGRT t=", (now-runtimeInitTime)/1000, " p=", i, " sched=", sysretake,'
               ' " runq=", %s, " globrunq=", %s, "\\n")\n' % (rq, grq),
               proc, "retake's n++")
    runq_print = '" runqueue=", %s)' % grq
    proc = sub(runq_print, runq_print[:-1]
               + ', " rtsched=", dbgRetakeSched, " rtsys=", dbgRetakeSys, " delay=", dbgDelay)',
               proc, "schedtrace's first line")
    proc = sub("\t\tusleep(delay)\n", "\t\tdbgDelay = delay\n\t\tusleep(delay)\n", proc,
               "sysmon's usleep")
    proc += "\n// retake-trace\nvar dbgRetakeSched, dbgRetakeSys, dbgDelay uint32\n"
    open(rt + "runtime2.go", "w").write(r2)
    open(rt + "proc.go", "w").write(proc)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    patch(sys.argv[1])
