#!/usr/bin/env python3
"""Patches a copy of Go's runtime (1.19 or 1.26) so that sysmon says why it retakes.

Used by retake-trace.sh, never on the system's Go. Three additions, nothing else changes:
- execute() notes on the P when it last started a G without inheriting a time slice, which G,
  and the P's syscalltick then;
- retake() prints a line each time the schedtick rule fires (the P ran one time slice for 10ms:
  "DBGPRE t=<us since start> p=<P> age=<us since that execute> nsys=<syscalls since> ..."), and
  each time it takes a P ("DBGRT t=... p=... sched=<true: schedtick rule, false: two rounds>");
- schedtrace's first line ends with the counts (rtsched, rtsys), sysmon's current delay (us) and
  how many times it has come back from its usleep (sysmonticks); under 1.19 also how syscalls
  ended: own P (own), taken back from a later syscall (steal), an idle P (pidle), slow path (slow),
  and startm's wake-ups of idle Ms (wakes, their mean in us, how many took over 50us, and
  wakehist: counts of <1us, 1us, 2-3us, 4-7us, 8-15us, ... 1024-2047us).

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
               + ', " rtsched=", dbgRetakeSched, " rtsys=", dbgRetakeSys, " delay=", dbgDelay,'
               ' " sysmonticks=", dbgTicks)',
               proc, "schedtrace's first line")
    proc = sub("\t\tusleep(delay)\n", "\t\tdbgDelay = delay\n\t\tusleep(delay)\n\t\tdbgTicks++\n", proc,
               "sysmon's usleep")
    exits = ""
    if old_names:
        # How syscalls end (1.19 only): the P never left (own), taken back from the syscall that
        # had it since (steal), an idle P, or the slow path (exitsyscall0).
        proc = sub("\tif _g_.m.syscalltick != _g_.m.p.ptr().syscalltick {\n\t\tif trace.enabled {",
                   "\tif _g_.m.syscalltick != _g_.m.p.ptr().syscalltick {\n\t\tatomic.Xadd(&dbgSteal, 1)\n"
                   "\t} else {\n\t\tatomic.Xadd(&dbgOwn, 1)\n\t}\n"
                   "\tif _g_.m.syscalltick != _g_.m.p.ptr().syscalltick {\n\t\tif trace.enabled {",
                   proc, "exitsyscallfast_reacquired")
        proc = sub("\tif _p_ != nil {\n\t\tacquirep(_p_)\n\t\treturn true\n\t}\n\treturn false",
                   "\tif _p_ != nil {\n\t\tatomic.Xadd(&dbgPidle, 1)\n\t\tacquirep(_p_)\n\t\treturn true\n\t}\n\treturn false",
                   proc, "exitsyscallfast_pidle")
        proc = sub("func exitsyscall0(gp *g) {\n", "func exitsyscall0(gp *g) {\n\tatomic.Xadd(&dbgSlow, 1)\n",
                   proc, "exitsyscall0")
        proc = sub(' " sysmonticks=", dbgTicks)', ' " sysmonticks=", dbgTicks, " own=", dbgOwn, " steal=", dbgSteal,'
                   ' " pidle=", dbgPidle, " slow=", dbgSlow)', proc, "schedtrace's counts")
        # startm's wake-up of an idle M: from notewakeup until the M runs again in stopm, as a
        # count, a mean and a count over 50us (1.19 only).
        r2 = sub("type m struct {\n", "type m struct {\n\tdbgWakeAt int64\n", r2, "type m")
        proc = sub("\tnmp.nextp.set(_p_)\n\tnotewakeup(&nmp.park)\n",
                   "\tnmp.nextp.set(_p_)\n\tnmp.dbgWakeAt = nanotime()\n\tnotewakeup(&nmp.park)\n",
                   proc, "startm's notewakeup")
        proc = sub("\tmPark()\n\tacquirep(_g_.m.nextp.ptr())\n",
                   "\tmPark()\n\tif _g_.m.dbgWakeAt != 0 {\n\t\td := nanotime() - _g_.m.dbgWakeAt\n"
                   "\t\tatomic.Xadd64(&dbgWakeNs, d)\n\t\tatomic.Xadd(&dbgWakeN, 1)\n"
                   "\t\tif d > 50000 {\n\t\t\tatomic.Xadd(&dbgWakeOver50, 1)\n\t\t}\n"
                   "\t\tb := 0\n\t\tfor v := d / 1000; v > 0 && b < 15; v >>= 1 {\n\t\t\tb++\n\t\t}\n"
                   "\t\tatomic.Xadd(&dbgWakeHist[b], 1)\n"
                   "\t\t_g_.m.dbgWakeAt = 0\n\t}\n\tacquirep(_g_.m.nextp.ptr())\n",
                   proc, "stopm's mPark")
        proc = sub(' " pidle=", dbgPidle, " slow=", dbgSlow)',
                   ' " pidle=", dbgPidle, " slow=", dbgSlow, " wakes=", dbgWakeN,'
                   ' " wakemeanus=", int64(dbgWakeNs)/(int64(dbgWakeN)+1)/1000, " wakesover50us=", dbgWakeOver50,'
                   ' " wakehist=", dbgWakeHist[0], ",", dbgWakeHist[1], ",", dbgWakeHist[2], ",", dbgWakeHist[3], ",",'
                   ' dbgWakeHist[4], ",", dbgWakeHist[5], ",", dbgWakeHist[6], ",", dbgWakeHist[7], ",", dbgWakeHist[8],'
                   ' ",", dbgWakeHist[9], ",", dbgWakeHist[10], ",", dbgWakeHist[11])',
                   proc, "schedtrace's wake counts")
        proc += "\nvar dbgWakeNs uint64\nvar dbgWakeHist [16]uint32\n"
        exits = ", dbgOwn, dbgSteal, dbgPidle, dbgSlow, dbgWakeN, dbgWakeOver50"
    proc += "\n// retake-trace\nvar dbgRetakeSched, dbgRetakeSys, dbgDelay, dbgTicks%s uint32\n" % exits
    open(rt + "runtime2.go", "w").write(r2)
    open(rt + "proc.go", "w").write(proc)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    patch(sys.argv[1])
