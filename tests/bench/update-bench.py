#!/usr/bin/python3
# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Benchmark of a whole update on the simulated module, side by side with fwupd's qc_firehose
plugin and Debian's qdl (not a timed test: contrib/bench.sh runs it).

Each tool runs under ec25-sim on a fresh module, once with the timing model off (the host's
own cost) and once with it on (a real module's delays). The figures come from the module's
summary.json (what it received, the phases it saw, the model's bound) and from /usr/bin/time
around the tool (CPU, peak RSS)."""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile

OLD = "EC25EFAR06A08M4G"
NEW = "EC25EFAR06A09M4G"
SUBVERSION = "01.001.01.001"
EDL_GUID_INSTANCE = "USB\\VID_05C6&PID_9008"
PROGRAMMER = "prog_nand_firehose_9x07.mbn"

# The realistic model, each value with its source (see README.md, "Benchmark").
REALISTIC = {
    # USB 2.0 high speed: 480 Mbit/s raw, about 35 MB/s of bulk payload in practice
    "link-mbps": 280,
    # one transfer a microframe: a host controller schedules a new bulk transfer every 125 µs
    "transfer-us": 125,
    # measured NAND programming through Firehose: 3.83-3.86 MB/s (QFirehose logs, SDX55 NAND)
    "nand-mbps": 32,
    # typical NAND block erase time (tBERS), 2 ms a 256 KiB block
    "erase-us": 2000,
    # DIAG download command to 05c6:9008: QFirehose waits 1 s before it rescans
    "edl-delay-ms": 1000,
    "diag-switch-ms": 500,
    # reset to the module back in normal mode: about 30 s (Biktorgj's EG25 recovery notes)
    "reboot-ms": 30000,
}
OFF = {"edl-delay-ms": 200, "reboot-ms": 300}
# fwupd 2.0.20's qc_firehose pads every image to its whole partition and sends 512-byte
# transfers: through umockdev that is about 0.2-0.5 ms of host time per transfer, so the whole
# EC25-E layout (about 480 MB, 940 000 transfers) would take far longer than the bench may.
# It writes these partitions (19 MB padded, the boot chain) and the full figure is extrapolated
# from its measured per-byte and per-block rates.
QC_LABELS = "sbl,mibib,tz,rpm,aboot,boot"


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def page_round(n, page):
    return (n + page - 1) // page * page


class Package:
    """The seed-sized EC25-E package in the three layouts."""

    def __init__(self, top, build, work, full, qc_labels):
        self.top = top
        self.build = build
        self.work = work
        gen = [sys.executable, os.path.join(top, "tests", "gen-vendor-folder.py"),
               os.path.join(work, "folders"), "--layout", "ec25e", "--revision", NEW,
               "--subversion", SUBVERSION]
        if full:
            gen.append("--full")
        self.folder = run(gen).stdout.strip().splitlines()[-1]
        self.update = os.path.join(self.folder, "update")
        fh = os.path.join(self.update, "firehose")
        self.rawprogram = [os.path.join(fh, n) for n in os.listdir(fh)
                           if n.startswith("rawprogram") and n.endswith(".xml")][0]
        self.programs = self.parse_programs()
        self.erases = self.parse_erases()
        self.page = self.programs[0]["page"]
        self.image_bytes = sum(p["size"] for p in self.programs)
        self.image_pages_bytes = sum(page_round(p["size"], self.page) for p in self.programs)
        self.ours_cab = self.make_ours()
        self.qdl_dir = self.make_qdl()
        self.qc_labels = qc_labels
        self.qc_cab = self.make_qc(qc_labels)

    def resolve(self, filename):
        name = filename.replace("\\", "/").split("/")[-1]
        for d in (os.path.join(self.update, "firehose"), self.update):
            if os.path.exists(os.path.join(d, name)):
                return os.path.join(d, name)
        raise FileNotFoundError(filename)

    def parse_programs(self):
        xml = open(self.rawprogram, encoding="utf-8").read()
        programs = []
        for m in re.finditer(r"<program ([^>]*)/>", xml):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if not attrs.get("filename"):
                continue
            path = self.resolve(attrs["filename"])
            programs.append({"label": attrs.get("label"), "path": path,
                             "partition_bytes": int(attrs["num_partition_sectors"]) *
                             int(attrs["SECTOR_SIZE_IN_BYTES"]),
                             "size": os.path.getsize(path),
                             "page": int(attrs["SECTOR_SIZE_IN_BYTES"]),
                             "sectors": int(attrs["num_partition_sectors"])})
        return programs

    def parse_erases(self):
        xml = open(self.rawprogram, encoding="utf-8").read()
        erases = []
        for m in re.finditer(r"<erase ([^>]*)/>", xml):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if "start_sector" in attrs:
                erases.append({"label": attrs.get("label"),
                               "blocks": int(attrs["num_partition_sectors"]) //
                               int(attrs["PAGES_PER_BLOCK"])})
        return erases

    def subset(self, labels):
        """programs and erase blocks of @labels (all if empty)"""
        progs = [p for p in self.programs if not labels or p["label"] in labels]
        blocks = sum(e["blocks"] for e in self.erases if not labels or e["label"] in labels)
        return progs, blocks

    def make_ours(self):
        cab = os.path.join(self.work, "ours.cab")
        run([os.path.join(self.build, "contrib", "quectel-fw2cab", "quectel-fw2cab"),
             self.folder, "-o", cab])
        return cab

    def make_qdl(self):
        """qdl 1.0+git20220718: bare file names in its working folder, label and last_sector on
        every NAND program; the vendor <erase> line (no start_sector) does not parse there."""
        d = os.path.join(self.work, "qdl")
        os.makedirs(d)
        xml = open(self.rawprogram, encoding="utf-8").read()

        def program(m):
            attrs = m.group(1)
            start = int(re.search(r'start_sector="(\d+)"', attrs).group(1))
            num = int(re.search(r'num_partition_sectors="(\d+)"', attrs).group(1))
            fn = re.search(r'filename="([^"]*)"', attrs).group(1)
            if fn:
                base = os.path.basename(fn.replace("\\", "/"))
                attrs = attrs.replace(f'filename="{fn}"', f'filename="{base}"')
                if not os.path.exists(os.path.join(d, base)):
                    os.symlink(self.resolve(fn), os.path.join(d, base))
            if "last_sector" not in attrs:
                attrs += f' last_sector="{start + num - 1}"'
            return f"<program {attrs}/>"

        xml = re.sub(r"<program ([^>]*?)\s*/>", program, xml)
        xml = re.sub(r"\s*<erase [^>]*vendor=[^>]*/>", "", xml)
        with open(os.path.join(d, "rawprogram.xml"), "w", encoding="utf-8") as f:
            f.write(xml)
        os.symlink(os.path.join(self.update, "firehose", PROGRAMMER), os.path.join(d, PROGRAMMER))
        return d

    def make_qc(self, labels):
        """A cabinet as fwupd's qc_firehose takes it: a zip with the programmer, the rawprogram
        file and the images under their bare names, for the 05c6:9008 GUID. With @labels, only
        the programs and erases of those partitions."""
        d = os.path.join(self.work, "qc")
        os.makedirs(d)
        xml = open(self.rawprogram, encoding="utf-8").read()
        xml = re.sub(r"\s*<erase [^>]*vendor=[^>]*/>", "", xml) if labels else xml
        if labels:
            def keep(m):
                label = re.search(r'label="([^"]*)"', m.group(0))
                return m.group(0) if label and label.group(1) in labels else ""
            xml = re.sub(r"\s*<(program|erase) [^>]*/>", keep, xml)
        zpath = os.path.join(d, "firmware.zip")
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_STORED) as z:
            z.writestr(os.path.basename(self.rawprogram), xml)
            z.write(os.path.join(self.update, "firehose", PROGRAMMER), PROGRAMMER)
            seen = set()
            for m in re.finditer(r'filename="([^"]+)"', xml):
                base = os.path.basename(m.group(1).replace("\\", "/"))
                if base not in seen:
                    seen.add(base)
                    z.write(self.resolve(m.group(1)), base)
        guid = str(uuid.uuid5(uuid.NAMESPACE_DNS, EDL_GUID_INSTANCE))
        meta = f"""<?xml version="1.0" encoding="UTF-8"?>
<component type="firmware">
  <id>com.quectel.EC25E.bench.firehose</id>
  <name>EC25-E</name>
  <summary>EC25-E firmware through qc_firehose</summary>
  <provides><firmware type="flashed">{guid}</firmware></provides>
  <metadata_license>CC0-1.0</metadata_license>
  <project_license>proprietary</project_license>
  <developer_name>Quectel</developer_name>
  <custom><value key="LVFS::UpdateProtocol">com.qualcomm.firehose</value></custom>
  <releases>
    <release version="1.0" date="2026-01-15">
      <checksum filename="firmware.zip" target="content"/>
      <description><p>Benchmark package.</p></description>
    </release>
  </releases>
</component>
"""
        with open(os.path.join(d, "firmware.metainfo.xml"), "w", encoding="utf-8") as f:
            f.write(meta)
        cab = os.path.join(self.work, "qc.cab")
        run(["gcab", "-c", "-n", cab, "firmware.metainfo.xml", "firmware.zip"], cwd=d)
        self.qc_image_bytes = sum(p["size"] for p in self.programs
                                  if not labels or p["label"] in labels)
        return cab


def time_v(path):
    """CPU (s) and peak RSS (KiB) from /usr/bin/time -v."""
    text = open(path, encoding="utf-8").read()
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return user + system, rss


class Bench:
    def __init__(self, args):
        self.args = args
        self.top = os.path.abspath(args.source)
        self.build = os.path.abspath(args.build)
        self.sim = os.path.join(self.build, "tests", "ec25-sim")
        self.work = tempfile.mkdtemp(prefix="quectel-bench-")
        self.quirks = os.path.join(self.work, "quirks.d")
        os.makedirs(self.quirks)
        shutil.copy(os.path.join(self.top, "plugins", "quectel", "quectel.quirk"), self.quirks)

    def env(self, name, ours=True):
        env = dict(os.environ)
        base = os.path.join(self.work, "fwupd-" + name)
        if ours:
            env.update({"FWUPD_LIBDIR_PKG": os.path.join(self.build, "plugins", "quectel"),
                        "FWUPD_LOCALSTATEDIR_QUIRKS": self.quirks})
        env.update({"FWUPD_LOCALSTATEDIR": os.path.join(base, "var"),
                    "STATE_DIRECTORY": os.path.join(base, "state"),
                    "CACHE_DIRECTORY": os.path.join(base, "cache"),
                    "FWUPD_LOCKDIR": os.path.join(base, "lock")})
        os.makedirs(env["FWUPD_LOCKDIR"], exist_ok=True)
        return env

    def sim_args(self, timed):
        model = REALISTIC if timed else OFF
        args = ["--model", "EC25", "--revision", OLD, "--subversion", SUBVERSION]
        for key, value in model.items():
            args += [f"--{key}", str(value)]
        return args

    def run_one(self, tool, timed, pkg):
        name = f"{tool}-{'model' if timed else 'host'}"
        state = os.path.join(self.work, "module-" + name)
        timefile = os.path.join(self.work, name + ".time")
        cwd = None
        if tool == "ours":
            start = []
            cmd = ["fwupdtool", "install", pkg.ours_cab, "--plugins", "quectel",
                   "--no-reboot-check", "-y"]
        elif tool == "qc_firehose":
            # fwupd 2.0.20 learns the functions before <nop/> only from the one-line form;
            # after the per-line form (the default) it reads every answer one command late
            start = ["--start-mode", "edl", "--functions-log", "single-line"]
            # the stock tool without this project's plugin and quirk; qc_firehose alone does not
            # watch the usb subsystem (in the daemon other plugins do): algoltek_usb adds it
            # and claims nothing here
            cmd = ["fwupdtool", "install", pkg.qc_cab, "--plugins", "qc_firehose", "--plugins", "algoltek_usb",
                   "--no-reboot-check", "-y", "--allow-reinstall", "--allow-older"]
        else:
            start = ["--start-mode", "edl"]
            cmd = ["qdl", "--storage", "nand", PROGRAMMER, "rawprogram.xml"]
            cwd = pkg.qdl_dir
        simtime = os.path.join(self.work, name + ".simtime")
        full = ["/usr/bin/time", "-v", "-o", simtime, self.sim, "--state", state,
                *self.sim_args(timed), *start, "--", "/usr/bin/time", "-v", "-o", timefile, *cmd]
        t0 = time.monotonic()
        proc = subprocess.run(full, env=self.env(name, tool == "ours"), cwd=cwd, capture_output=True,
                              text=True, timeout=self.args.timeout, check=False)
        wall = time.monotonic() - t0
        with open(os.path.join(self.work, name + ".log"), "w", encoding="utf-8") as f:
            f.write(proc.stdout + proc.stderr)
        summary = json.load(open(os.path.join(state, "summary.json"), encoding="utf-8"))
        cpu, rss = time_v(timefile)
        r = self.result(tool, timed, pkg, proc.returncode, wall, cpu, rss, summary)
        # the simulator's own CPU (its process minus the tool it ran)
        r["simulator_cpu_s"] = round(time_v(simtime)[0] - cpu, 2)
        return r

    def result(self, tool, timed, pkg, rc, wall, cpu, rss, summary):
        t = summary["timing"]
        sessions = summary.get("previous_sessions", []) + [summary]
        programs = [p for s in sessions for p in s.get("programs", [])]
        phases = t["phases"]
        labels = pkg.qc_labels if tool == "qc_firehose" else []
        progs, _ = pkg.subset(labels)
        image_bytes = sum(p["size"] for p in progs)
        image_pages = sum(page_round(p["size"], pkg.page) for p in progs)
        model = t["model"]
        link_ns = model["transfer_us"] * 1000 + (
            model["payload"] * 8 * 1000 / model["link_mbps"] if model["link_mbps"] else 0)
        nand_ns = (model["payload"] * 8 * 1000 / model["nand_mbps"]
                   if model["nand_mbps"] else 0)
        # the same model's bound for the image bytes (not for what the tool chose to send)
        chunks = math.ceil(image_pages / model["payload"]) if model["payload"] else 0
        raw_bound_ms = (chunks * max(link_ns, nand_ns) + min(link_ns, nand_ns)) / 1e6
        bound = t["bound"]
        bound_total_ms = raw_bound_ms + bound["erase_ms"] + bound["sahara_ms"] + bound["switch_ms"]
        flash_ms = sum(phases.get(p, 0) for p in ("sahara", "setup", "erase", "program", "reset"))
        return {
            "tool": tool,
            "timing_model": timed,
            # a subset cannot boot: then every program it sent must have been written
            "ok": (len(programs) == len(progs) and all(p["status"] == "ok" for p in programs))
            if labels else
            (rc == 0 and summary.get("bootable") is True and
             summary.get("revision") == f"{NEW}_{SUBVERSION}" and
             all(p["status"] == "ok" for p in programs)),
            "exit_status": rc,
            "revision_after": summary.get("revision"),
            "wall_s": round(wall, 3),
            "run_ms": t["total_ms"],
            "flash_ms": round(flash_ms, 1),
            "phases_ms": phases,
            "raw_bound_ms": round(raw_bound_ms, 1),
            "raw_ratio": round(phases.get("program", 0) / raw_bound_ms, 4) if raw_bound_ms else None,
            "bound_ms": round(bound_total_ms, 1),
            "bound_parts_ms": {"raw": round(raw_bound_ms, 1), "erase": bound["erase_ms"],
                               "sahara": bound["sahara_ms"], "switch": bound["switch_ms"]},
            # a peer run from EDL ends at the reset, not with a verified module
            "ratio_to_bound": round(t["total_ms"] / bound_total_ms, 4)
            if timed and tool == "ours" else None,
            "over_bound_ms": round(t["total_ms"] - bound_total_ms, 1) if timed else None,
            "simulator_ms": t["simulator_ms"],
            "over_bound_host_ms": round(t["total_ms"] - t["simulator_ms"] - bound_total_ms, 1)
            if timed else None,
            "image_bytes": image_bytes,
            "raw_bytes": t["raw_bytes"],
            "image_page_bytes": image_pages,
            "bytes_ratio": round(t["raw_bytes"] / image_pages, 4),
            "bytes_ratio_files": round(t["raw_bytes"] / image_bytes, 4),
            "transfers": sum(s["transfers"] + s["zlps"] for s in sessions),
            "raw_transfers": t["raw_transfers"],
            "cpu_s": round(cpu, 2),
            "peak_rss_kib": rss,
            "written": t["written"],
            "subset": labels or None,
            "full_flash_ms_extrapolated": self.extrapolate(pkg, labels, phases) if labels else None,
        }

    @staticmethod
    def extrapolate(pkg, labels, phases):
        """The whole package's flash time from a subset: the same fixed phases, erase time per
        block and program time per byte sent (qc_firehose sends whole partitions)."""
        sub_progs, sub_blocks = pkg.subset(labels)
        all_progs, all_blocks = pkg.subset([])
        sub_bytes = sum(p["partition_bytes"] for p in sub_progs)
        all_bytes = sum(p["partition_bytes"] for p in all_progs)
        fixed = sum(phases.get(p, 0) for p in ("sahara", "setup", "reset"))
        erase = phases.get("erase", 0) * all_blocks / sub_blocks if sub_blocks else 0
        program = phases.get("program", 0) * all_bytes / sub_bytes if sub_bytes else 0
        return round(fixed + erase + program, 1)

    def cabinet_rss(self, pkg):
        """What fwupdtool needs to load the cabinet (get-details), peak RSS in KiB."""
        timefile = os.path.join(self.work, "details.time")
        t0 = time.monotonic()
        subprocess.run(["/usr/bin/time", "-v", "-o", timefile, "fwupdtool", "get-details",
                        pkg.ours_cab, "--plugins", "quectel"], env=self.env("details"),
                       capture_output=True, check=False, timeout=300)
        self.details_wall_s = round(time.monotonic() - t0, 2)
        return time_v(timefile)[1]


def table(results, ratios, goals):
    lines = []
    head = (f"{'tool':12} {'model':6} {'ok':3} {'wall s':>8} {'flash s':>8} {'program s':>9} "
            f"{'bound s':>8} {'x bound':>7} {'raw x':>6} {'bytes x':>7} {'transfers':>9} "
            f"{'CPU s':>6} {'RSS MiB':>7}")
    lines.append(head)
    for r in results:
        lines.append(
            f"{r['tool']:12} {'on' if r['timing_model'] else 'off':6} "
            f"{'yes' if r['ok'] else 'NO':3} {r['run_ms'] / 1000:8.2f} {r['flash_ms'] / 1000:8.2f} "
            f"{r['phases_ms'].get('program', 0) / 1000:9.2f} {r['bound_ms'] / 1000:8.2f} "
            f"{(r['ratio_to_bound'] or 0):7.3f} {(r['raw_ratio'] or 0):6.3f} "
            f"{r['bytes_ratio']:7.4f} {r['transfers']:9d} {r['cpu_s']:6.2f} "
            f"{r['peak_rss_kib'] / 1024:7.1f}")
    for r in results:
        if r["full_flash_ms_extrapolated"] is not None:
            lines.append(f"{r['tool']} wrote only {','.join(r['subset'])}; whole package "
                         f"extrapolated: flash {r['full_flash_ms_extrapolated'] / 1000:.1f} s")
    lines.append("")
    lines.append("phases (ms): " + "; ".join(
        f"{r['tool']}/{'on' if r['timing_model'] else 'off'}: " +
        ", ".join(f"{k} {v:.0f}" for k, v in r["phases_ms"].items()) for r in results))
    for k, v in ratios.items():
        lines.append(f"{k}: {v}")
    for g in goals:
        lines.append(f"goal {g['goal']}: {g['value']} -> {'met' if g['met'] else 'MISSED'}")
    return "\n".join(lines)


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, timed in zip(axes, (False, True)):
        for r in results:
            if r["timing_model"] != timed or not r["written"]:
                continue
            xs = [p[0] / 1000 for p in r["written"]]
            ys = [p[1] / 2**20 for p in r["written"]]
            ax.plot(xs, ys, label=r["tool"])
        ax.set_title("timing model " + ("on (realistic module)" if timed else "off (host cost)"))
        ax.set_xlabel("s since the tool started")
        ax.set_ylabel("MiB of image data received")
        ax.grid(True, alpha=0.3)
        if ax.lines:
            ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--out", required=True, help="folder for bench.json, bench.png")
    parser.add_argument("--small", action="store_true", help="the small sample, not --full")
    parser.add_argument("--qc-labels", default=QC_LABELS,
                        help="comma-separated partitions qc_firehose writes, '' for all "
                             f"(default: {QC_LABELS})")
    parser.add_argument("--qc-modes", default="on",
                        help="timing model modes for qc_firehose (default: on)")
    parser.add_argument("--tools", default="ours,qdl,qc_firehose")
    parser.add_argument("--modes", default="off,on")
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    bench = Bench(args)
    qc_labels = [x for x in args.qc_labels.split(",") if x]
    pkg = Package(bench.top, bench.build, bench.work, not args.small, qc_labels)
    results = []
    for mode in args.modes.split(","):
        for tool in args.tools.split(","):
            if tool == "qc_firehose" and mode not in args.qc_modes.split(","):
                continue
            print(f"== {tool}, timing model {mode}", flush=True)
            r = bench.run_one(tool, mode == "on", pkg)
            print(f"   {'ok' if r['ok'] else 'FAILED'} in {r['run_ms'] / 1000:.1f} s", flush=True)
            results.append(r)
    details_rss = bench.cabinet_rss(pkg)

    def find(tool, timed):
        return next((r for r in results if r["tool"] == tool and r["timing_model"] == timed),
                    None)

    ratios = {}
    goals = []
    for timed in (False, True):
        ours = find("ours", timed)
        if ours is None:
            continue
        for peer in ("qdl", "qc_firehose"):
            other = find(peer, timed)
            if other is None:
                continue
            key = f"{peer}/ours, model {'on' if timed else 'off'}"
            other_flash = other["full_flash_ms_extrapolated"] or other["flash_ms"]
            ratios[key] = {
                "flash": round(other_flash / ours["flash_ms"], 2),
                "flash_extrapolated": other["full_flash_ms_extrapolated"] is not None,
                "wall": round(other["run_ms"] / ours["run_ms"], 2),
                "cpu": round(other["cpu_s"] / ours["cpu_s"], 2) if ours["cpu_s"] else None,
                "rss": round(other["peak_rss_kib"] / ours["peak_rss_kib"], 2),
                "bytes": round(other["raw_bytes"] / ours["raw_bytes"], 2),
                "transfers": round(other["transfers"] / ours["transfers"], 2),
            }
    ours_on = find("ours", True)
    ours_off = find("ours", False) or ours_on
    if ours_on is not None:
        goals.append({"goal": "raw-data phase <= 1.02 x bound", "value": ours_on["raw_ratio"],
                      "met": ours_on["raw_ratio"] <= 1.02})
        goals.append({"goal": "whole update <= bound + 3 s", "value":
                      f"{ours_on['over_bound_host_ms'] / 1000:.2f} s over (plus "
                      f"{ours_on['simulator_ms'] / 1000:.2f} s of the simulator's own work)",
                      "met": ours_on["over_bound_host_ms"] <= 3000})
    if ours_off is not None:
        goals.append({"goal": "bytes sent <= 1.001 x image bytes",
                      "value": ours_off["bytes_ratio"], "met": ours_off["bytes_ratio"] <= 1.001})
        limit = details_rss + 32 * 1024
        goals.append({"goal": "peak RSS <= cabinet load + 32 MiB",
                      "value": f"{ours_off['peak_rss_kib'] / 1024:.1f} MiB vs "
                               f"{details_rss / 1024:.1f} + 32 MiB",
                      "met": ours_off["peak_rss_kib"] <= limit})
    for peer, factor in (("qdl", 3), ("qc_firehose", 20)):
        for timed in (False, True):
            key = f"{peer}/ours, model {'on' if timed else 'off'}"
            if key in ratios:
                goals.append({"goal": f">= {factor}x faster than {peer} (flash, model "
                                      f"{'on' if timed else 'off'})",
                              "value": ratios[key]["flash"],
                              "met": ratios[key]["flash"] >= factor})

    doc = {"package": {"layout": "ec25e", "full": not args.small, "folder_revision": NEW,
                       "programs": len(pkg.programs), "image_bytes": pkg.image_bytes,
                       "qc_firehose_labels": qc_labels or "all"},
           "model": REALISTIC, "model_off": OFF,
           "fwupdtool_get_details_rss_kib": details_rss,
           "fwupdtool_get_details_wall_s": bench.details_wall_s,
           "results": results, "ratios": ratios, "goals": goals}
    with open(os.path.join(args.out, "bench.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    text = table(results, ratios, goals)
    with open(os.path.join(args.out, "bench.txt"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)
    try:
        plot(results, os.path.join(args.out, "bench.png"))
    except ImportError as e:
        print(f"no plot: {e}", file=sys.stderr)
    if args.keep:
        print(f"work folder kept: {bench.work}")
    else:
        shutil.rmtree(bench.work, ignore_errors=True)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
