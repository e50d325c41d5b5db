"""Make clean page renders look scanned or photographed by a phone.

All randomness comes from a ``numpy.random.Generator`` seeded by the caller,
so the same seed and the same render give the same pixels.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

FIXED_DATE = dt.datetime(2022, 12, 6, 8, 45, 0)


@dataclass(frozen=True)
class ScanNoise:
    min_angle: float = 0.5        # degrees, either direction
    max_angle: float = 1.2
    blur_sigma: float = 0.7
    paper_white: float = 242      # scanner glass is never pure white
    shading: float = 0.07         # brightness falls off this much across the page
    grain_sigma: float = 5.0
    speckle_density: float = 3e-4
    jpeg_quality: int = 60
    dpi: int = 200


@dataclass(frozen=True)
class PhotoNoise:
    canvas: tuple[int, int] = (1500, 2000)      # portrait, width x height
    jitter: float = 25.0                         # px, per page corner
    light_falloff: float = 0.25
    shadow_depth: float = 0.28
    blur_sigma: float = 0.7
    grain_sigma: float = 3.0
    jpeg_quality: int = 75
    desk: tuple[float, float, float] = (118, 96, 74)   # RGB; (40, 34, 30) is a dark desk
    vignette: float = 0.0                        # extra darkening towards the corners (0..1)
    tint: tuple[float, float, float] = (1.0, 0.97, 0.9)  # warm indoor light
    margin: float = 1.0                          # scales the page's distance from the canvas edges
    long_side: int | None = None                 # downscale the photo to this (chat apps: ~1600 px)
    # a hand's or a phone's shadow: a straight, soft-edged dark band over part of the sheet,
    # its direction and reach drawn per page (0 = none)
    band_shadow: float = 0.0
    band_soft: float = 60.0                      # px over which the band's edge fades
    # the shadow's shape: "band" (a straight edge), "wedge" (two soft edges meeting at a
    # point off the sheet: an arm and a phone), "hand" (a palm and fingers, blurred)
    shadow_shape: str = "band"
    # what the sheet lies on: "plain" (the ``desk`` colour), "wood" (grain stripes),
    # "cloth" (a woven check)
    desk_pattern: str = "plain"


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], amp: float) -> np.ndarray:
    """Low-frequency brightness wobble: a coarse random grid upsampled smoothly."""
    coarse = rng.normal(0.0, amp, size=(4, 3)).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def scan_page(img: Image.Image, rng: np.random.Generator, cfg: ScanNoise = ScanNoise()) -> Image.Image:
    a = np.asarray(img.convert("L"), dtype=np.float32)
    h, w = a.shape
    angle = float(rng.uniform(cfg.min_angle, cfg.max_angle) * rng.choice([-1.0, 1.0]))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += rng.uniform(-12, 12, size=2)          # page not flush with the glass edge
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255.0)
    a = cv2.GaussianBlur(a, (0, 0), cfg.blur_sigma)
    # paper tone and uneven lamp: ink stays dark, white becomes grey-ish and uneven
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    light = 1.0 - cfg.shading * (0.6 * xs + 0.4 * ys) + _smooth_field(rng, (h, w), 0.015)
    a = a * (cfg.paper_white / 255.0) * light
    a += rng.normal(0.0, cfg.grain_sigma, size=a.shape).astype(np.float32)
    n = int(h * w * cfg.speckle_density)
    ys_, xs_ = rng.integers(0, h - 2, n), rng.integers(0, w - 2, n)
    dark = rng.uniform(30, 140, n).astype(np.float32)
    a[ys_, xs_] = dark
    big = rng.random(n) < 0.2                         # some dust is bigger than a pixel
    a[ys_[big] + 1, xs_[big]] = dark[big]
    a[ys_[big], xs_[big] + 1] = dark[big]
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def images_to_pdf(images: list[Image.Image], out: Path, *, dpi: int, quality: int, title: str) -> Path:
    """Image-only PDF: Pillow embeds each page as a JPEG (DCTDecode) at ``quality``."""
    first, rest = images[0], images[1:]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=float(dpi),
               quality=quality, title=title, producer="Scanner", creator="Scanner",
               creationDate=FIXED_DATE.timetuple(), modDate=FIXED_DATE.timetuple())
    return out


def phone_photo(page: Image.Image, rng: np.random.Generator, cfg: PhotoNoise = PhotoNoise()) -> Image.Image:
    """An upright, lit-unevenly, perspective-warped photo of ``page`` lying on a desk."""
    src = np.asarray(page.convert("RGB"), dtype=np.float32)
    ph, pw = src.shape[:2]
    cw, ch = cfg.canvas
    desk = np.empty((ch, cw, 3), np.float32)
    desk[:] = cfg.desk                                           # wooden desk by default
    desk += _smooth_field(rng, (ch, cw), 12.0)[..., None]
    if cfg.desk_pattern != "plain":
        desk *= _desk_pattern(rng, (ch, cw), cfg.desk_pattern)[..., None]
    desk += rng.normal(0, 6, size=desk.shape).astype(np.float32)
    j = lambda: rng.uniform(-cfg.jitter, cfg.jitter, 2)          # noqa: E731
    mg = cfg.margin
    quad = np.float32([
        np.array([150 * mg, 140 * mg]) + j(), np.array([cw - 140 * mg, 100 * mg]) + j(),  # top edge is further
        np.array([cw - 70 * mg, ch - 80 * mg]) + j(), np.array([85 * mg, ch - 55 * mg]) + j(),  # away: narrower
    ])
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), quad)
    warped = cv2.warpPerspective(src, m, (cw, ch), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (cw, ch))[..., None]
    img = warped * mask + desk * (1.0 - mask)
    xs = np.linspace(0.0, 1.0, cw, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, ch, dtype=np.float32)[:, None]
    light = 1.05 - cfg.light_falloff * (0.5 * xs + 0.5 * ys)
    sx, sy, s = cw * rng.uniform(0.65, 0.85), ch * rng.uniform(0.7, 0.9), cw * 0.35
    light = light * (1.0 - cfg.shadow_depth * np.exp(-((xs * cw - sx) ** 2 + (ys * ch - sy) ** 2) / (2 * s * s)))
    if cfg.band_shadow and cfg.shadow_shape == "band":
        theta = rng.uniform(0, 2 * np.pi)
        nx, ny = np.cos(theta), np.sin(theta)
        along = (xs * cw - cw / 2) * nx + (ys * ch - ch / 2) * ny
        reach = rng.uniform(0.15, 0.45) * min(cw, ch)            # how far past the centre it falls
        band = 1.0 / (1.0 + np.exp(-(along - (min(cw, ch) / 2 - reach)) / cfg.band_soft))
        light = light * (1.0 - cfg.band_shadow * band)
    elif cfg.band_shadow:
        shade = _wedge(rng, cw, ch, cfg.band_soft) if cfg.shadow_shape == "wedge" else \
            _hand(rng, cw, ch, cfg.band_soft)
        light = light * (1.0 - cfg.band_shadow * shade)
    if cfg.vignette:
        r2 = ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) / 0.5
        light = light * (1.0 - cfg.vignette * r2)
    img = img * light[..., None] * np.float32(cfg.tint)
    img = cv2.GaussianBlur(img, (0, 0), cfg.blur_sigma)
    img += rng.normal(0, cfg.grain_sigma, size=img.shape).astype(np.float32)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    if cfg.long_side and max(out.size) > cfg.long_side:
        f = cfg.long_side / max(out.size)
        out = out.resize((round(out.width * f), round(out.height * f)), Image.LANCZOS)
    return out


def _desk_pattern(rng: np.random.Generator, shape: tuple[int, int], kind: str) -> np.ndarray:
    """A multiplicative texture (around 1) for the desk: wood grain or a woven check."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        # wavy stripes along the board, a few px to tens of px wide
        warp = 25 * np.sin(xs / rng.uniform(150, 300) + rng.uniform(0, 6)) + _smooth_field(rng, shape, 20)
        grain = np.sin((ys + warp) / rng.uniform(5, 9)) * 0.5 + np.sin((ys + warp) / rng.uniform(17, 31)) * 0.5
        return (1.0 + 0.18 * grain).astype(np.float32)
    if kind == "cloth":
        period = rng.uniform(40, 80)
        a = np.radians(rng.uniform(-20, 20))
        u, v = xs * np.cos(a) + ys * np.sin(a), -xs * np.sin(a) + ys * np.cos(a)
        check = (np.sin(2 * np.pi * u / period) > 0).astype(np.float32) + \
            (np.sin(2 * np.pi * v / period) > 0).astype(np.float32)
        thread = 0.06 * np.sin(2 * np.pi * u / 4) * np.sin(2 * np.pi * v / 4)
        return (0.75 + 0.25 * check + thread).astype(np.float32)
    raise ValueError(f"desk pattern {kind!r}")


def _wedge(rng: np.random.Generator, cw: int, ch: int, soft: float) -> np.ndarray:
    """0..1 shade of a wedge from a point beyond one edge of the picture into
    the sheet (an arm holding the phone): inside two soft edges."""
    side = rng.integers(4)
    t = rng.uniform(0.3, 0.7)
    apex = [(t * cw, -0.3 * ch), (1.3 * cw, t * ch), (t * cw, 1.3 * ch), (-0.3 * cw, t * ch)][side]
    towards = np.arctan2(ch / 2 - apex[1], cw / 2 - apex[0]) + rng.uniform(-0.35, 0.35)
    half = rng.uniform(0.12, 0.25)                              # half the opening, radians
    ys, xs = np.mgrid[0:ch, 0:cw].astype(np.float32)
    ang = np.arctan2(ys - apex[1], xs - apex[0]) - towards
    ang = (ang + np.pi) % (2 * np.pi) - np.pi
    dist = np.hypot(xs - apex[0], ys - apex[1])
    inside = (half - np.abs(ang)) * dist                         # px from the nearer edge, > 0 inside
    return (1.0 / (1.0 + np.exp(-inside / soft))).astype(np.float32)


def _hand(rng: np.random.Generator, cw: int, ch: int, soft: float) -> np.ndarray:
    """0..1 shade of a hand over part of the sheet: a palm and four fingers
    (ellipses), reaching in from one edge, blurred by ``soft``."""
    m = np.zeros((ch, cw), np.float32)
    side = rng.integers(4)
    depth = rng.uniform(0.25, 0.45)
    t = rng.uniform(0.3, 0.7)
    cx, cy = [(t * cw, depth * ch * 0.6), (cw * (1 - depth * 0.6), t * ch), (t * cw, ch * (1 - depth * 0.6)),
              (depth * cw * 0.6, t * ch)][side]
    inward = np.degrees(np.arctan2(ch / 2 - cy, cw / 2 - cx))
    s = min(cw, ch)
    cv2.ellipse(m, (int(cx), int(cy)), (int(0.22 * s), int(0.17 * s)), inward, 0, 360, 1.0, -1)
    # the forearm back out of the picture
    back = np.radians(inward + 180)
    cv2.line(m, (int(cx), int(cy)), (int(cx + 2 * s * np.cos(back)), int(cy + 2 * s * np.sin(back))), 1.0,
             int(0.25 * s))
    for k, spread in enumerate((-30, -10, 10, 30)):
        a = np.radians(inward + spread + rng.uniform(-5, 5))
        L = (0.28 + 0.06 * (k in (1, 2))) * s
        fx, fy = cx + 0.18 * s * np.cos(a), cy + 0.18 * s * np.sin(a)
        cv2.ellipse(m, (int(fx + L / 2 * np.cos(a)), int(fy + L / 2 * np.sin(a))), (int(L / 2), int(0.045 * s)),
                    np.degrees(a), 0, 360, 1.0, -1)
    return cv2.GaussianBlur(m, (0, 0), soft)


def turned_scan(img: Image.Image, rng: np.random.Generator, turn: int, skew: float,
                cfg: ScanNoise = ScanNoise()) -> Image.Image:
    """A page fed into the scanner sideways or upside down (``turn``: 0, 90, 180,
    270 degrees clockwise) and crooked by ``skew`` degrees, with the scanner's
    noise.  The canvas grows so the skewed page's corners stay in the picture."""
    a = np.asarray(img.convert("L"))
    h, w = a.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    a = cv2.warpAffine(a, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)
    page = scan_page(Image.fromarray(a), rng, ScanNoise(**{**cfg.__dict__, "min_angle": 0.0, "max_angle": 0.0}))
    k = {0: None, 90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    return page if k[turn % 360] is None else page.transpose(k[turn % 360])


def save_with_orientation(upright: Image.Image, out: Path, *, quality: int) -> Path:
    """Store the pixels as the sensor saw them (phone held sideways) with EXIF
    Orientation 6, so only a reader that honours EXIF sees the page upright."""
    stored = upright.transpose(Image.Transpose.ROTATE_90)        # 90° counter-clockwise
    exif = Image.Exif()
    exif[0x0112] = 6                                             # Orientation: rotate 90° CW to view
    exif[0x010F] = "samsung"                                     # Make
    exif[0x0110] = "SM-A525F"                                    # Model
    exif[0x0132] = "2024:11:13 09:41:27"                         # DateTime
    stored.save(out, "JPEG", quality=quality, exif=exif.tobytes(), optimize=True)
    return out
