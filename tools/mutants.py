"""Hand-written mutants of the hardening checks (issue 12): each one breaks a check on
purpose in a copy of the host, and the tests that guard it must fail.

    nox -s mutants                 # all of them
    nox -s mutants -- pinning      # those whose name contains "pinning"

A survivor is printed as SURVIVED; the exit status is 1 if any survived.

Shown equivalent, so not listed: a deferred ``BEGIN`` instead of ``BEGIN IMMEDIATE``
in `store_db.migrate` (the loser's stale snapshot gets SQLite's immediate "locked",
which `open_db` retries, and the retry finds the migration done); comparing the
``quick_check`` answer (every damage the tests make raises from ``quick_check``
itself; removing the check *is* listed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (name, file under spacedrive_host/, text, replacement, test file that must fail)
MUTANTS = [
    (
        "link-local row opened",
        "net/registry.py",
        '"Link Local", "RFC 3927", False, "never"',
        '"Link Local", "RFC 3927", False, "global"',
        "test_net_registry.py",
    ),
    (
        "IPv6 link-local row opened",
        "net/registry.py",
        '"Link-Local Unicast", "RFC 4291", False, "never"',
        '"Link-Local Unicast", "RFC 4291", False, "global"',
        "test_net_registry.py",
    ),
    (
        "site-local row opened",
        "net/registry.py",
        '"Site-Local (deprecated)", "RFC 3879", False, "never"',
        '"Site-Local (deprecated)", "RFC 3879", False, "global"',
        "test_net_registry.py",
    ),
    (
        "embedded unwrap removed",
        "net/policy.py",
        "for inner in registry.embedded(row, addr):",
        "for inner in []:",
        "test_net_registry.py",
    ),
    (
        "mapped unwrap removed",
        "net/registry.py",
        '"IPv4-mapped Address", "RFC 4291", False, "global", "low32"',
        '"IPv4-mapped Address", "RFC 4291", False, "global"',
        "test_net_registry.py",
    ),
    (
        "6to4 unwrap removed",
        "net/registry.py",
        '"6to4", "RFC 3056", None, "global", "6to4"',
        '"6to4", "RFC 3056", None, "global"',
        "test_net_registry.py",
    ),
    (
        "teredo unwrap removed",
        "net/registry.py",
        '"TEREDO", "RFC 4380", None, "global", "teredo"',
        '"TEREDO", "RFC 4380", None, "global"',
        "test_net_registry.py",
    ),
    (
        "nat64 unwrap removed",
        "net/registry.py",
        '"IPv4-IPv6 Translat.", "RFC 6052", True, "global", "low32"',
        '"IPv4-IPv6 Translat.", "RFC 6052", True, "global"',
        "test_net_registry.py",
    ),
    (
        "allow_private ignored",
        "net/policy.py",
        'if row.kind == "private" and not policy.allow_private:',
        'if row.kind == "private" and False:',
        "test_net_registry.py",
    ),
    (
        "loopback switch ignored",
        "net/policy.py",
        '(row.kind == "loopback" and not policy.allow_loopback)',
        '(row.kind == "loopback" and False)',
        "test_net_registry.py",
    ),
    (
        "DNS pinning removed",
        "net/proxy.py",
        "address = budget.pinned.get(host)",
        "address = host",
        "test_http_bounds.py",
    ),
    (
        "total deadline removed",
        "net/proxy.py",
        "remaining = self.deadline - time.monotonic()",
        "remaining = self.deadline - time.monotonic() + 1000",
        "test_http_bounds.py",
    ),
    (
        "header count unbounded",
        "net/proxy.py",
        "if len(out) >= MAX_REQUEST_HEADERS:",
        "if len(out) >= 10**9:",
        "test_http_bounds.py",
    ),
    (
        "header size unbounded",
        "net/proxy.py",
        "if size > MAX_REQUEST_HEADER_BYTES:",
        "if size > 10**12:",
        "test_http_bounds.py",
    ),
    (
        "header value check removed",
        "net/proxy.py",
        "if not _VALUE.fullmatch(value):",
        "if False:",
        "test_http_bounds.py",
    ),
    (
        "bad-port handling removed",
        "net/policy.py",
        "    except ValueError as exc:  # a bad port",
        "    except ZeroDivisionError as exc:  # a bad port",
        "test_net_registry.py",
    ),
    (
        "O_NOFOLLOW removed (file)",
        "fs.py",
        "_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW |",
        "_FILE_FLAGS = os.O_RDONLY |",
        "test_fs.py",
    ),
    (
        "O_NOFOLLOW removed (dirs)",
        "fs.py",
        "_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW |",
        "_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY |",
        "test_fs.py",
    ),
    ("O_NONBLOCK removed", "fs.py", "os.O_NOFOLLOW | os.O_NONBLOCK |", "os.O_NOFOLLOW |", "test_fs.py"),
    ("regular-file check removed", "fs.py", "if not stat.S_ISREG(st.st_mode):", "if False:", "test_fs.py"),
    (
        "size bound removed",
        "fs.py",
        "if max_bytes is not None and st.st_size > max_bytes:",
        "if False:",
        "test_fs.py",
    ),
    ("dotdot allowed", "fs.py", 'if part in ("", ".", "..") or', 'if part in ("", ".") or', "test_fs.py"),
    (
        "sidecar plugin id check removed",
        "library/store.py",
        '_check(_PLUGIN, plugin_id, "plugin id")',
        "pass",
        "test_namespaces_and_rates.py",
    ),
    ("refill 60x", "wire/rate_limit.py", "(cap / 60.0)", "(cap / 1.0)", "test_namespaces_and_rates.py"),
    (
        "burst cap removed",
        "wire/rate_limit.py",
        "if tokens > cap:",
        "if False:",
        "test_namespaces_and_rates.py",
    ),
    (
        "quick_check removed",
        "store_db.py",
        "                if _full_check(path, check):",
        "                if False:",
        "test_damaged_state.py",
    ),
    (
        "damaged rows untyped",
        "jobs/store.py",
        "except (ValueError, TypeError) as exc:  # JSONDecodeError",
        "except ZeroDivisionError as exc:  # JSONDecodeError",
        "test_damaged_state.py",
    ),
    (
        "refresh validation: scope any",
        "credentials/vault.py",
        "scope: str | None = Field(None, max_length=4096)",
        "scope: object = None",
        "test_damaged_state.py",
    ),
    (
        "vault plugin id check removed",
        "credentials/vault.py",
        "    if not isinstance(plugin_id, str) or not _PLUGIN.fullmatch(plugin_id):",
        "    if False:",
        "test_namespaces_and_rates.py",
    ),
    (
        "non-ASCII host let through",
        "net/policy.py",
        "    if not host.isascii():",
        "    if False:",
        "test_http_bounds.py",
    ),
    (
        "non-utf8 skip removed",
        "library/store.py",
        "                if not _utf8(rel):\n",
        "                if False:\n",
        "test_index_names.py",
    ),
]


def main(argv: list[str]) -> int:
    only = argv[1:]
    plugins = os.environ.get("SPACEDRIVE_TEST_PLUGINS", str(ROOT / "build" / "plugins"))
    killed = ran = 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(ROOT / "host" / "src", copy)
        tests = Path(tmp) / "tests"
        shutil.copytree(ROOT / "host" / "tests", tests)
        for name, rel, old, new, test in MUTANTS:
            if only and not any(o in name for o in only):
                continue
            original = (ROOT / "host" / "src" / "spacedrive_host" / rel).read_text()
            if old not in original:
                print(f"STALE    {name}: {old!r} is no longer in {rel}")
                return 2
            target = copy / "spacedrive_host" / rel
            target.write_text(original.replace(old, new))
            env = {**os.environ, "PYTHONPATH": str(copy), "SPACEDRIVE_TEST_PLUGINS": plugins}
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", str(tests / test)],
                env=env,
                capture_output=True,
                check=False,
            )
            target.write_text(original)
            ran += 1
            dead = result.returncode != 0
            killed += dead
            print(f"{'KILLED  ' if dead else 'SURVIVED'} {name}", flush=True)
    print(f"{killed}/{ran} mutants killed")
    return 0 if killed == ran else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
