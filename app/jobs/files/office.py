"""Word 97-2003 (.doc) and WPS (.wps) documents become .docx through a headless LibreOffice.

Each run gets a temporary folder (always removed) holding the input under a name of our own,
the output folder and LibreOffice's own user profile, so that runs side by side never share a
profile lock. The process runs under ``prlimit`` (address-space and CPU limits), in a process
group of its own, and the whole group is killed when it outlives its time limit. Nothing goes
through a shell and the user's file name never reaches the command line.

``convert_many`` converts several documents in one LibreOffice run (its start-up is most of
the cost of a small document) and falls back to one run per document for those it missed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

DEFAULT_TIMEOUT = 60  # seconds for one document
DEFAULT_MEMORY = 2 * 1024**3  # bytes of address space


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _ole_streams(data: bytes):
    import olefile

    try:
        return olefile.OleFileIO(data)
    except (OSError, ValueError, IndexError, TypeError, EOFError):
        return None


def refuse_encrypted(filename: str, data: bytes) -> None:
    """FileRefused for a password-protected Word file (an encrypted .docx is an OLE container
    with an ``EncryptedPackage``; a .doc says so in its file information block) and for an OLE
    file that is damaged."""
    ole = _ole_streams(data)
    if ole is None:
        raise FileRefused(filename, _("The file is damaged or incomplete: it cannot be opened as a Word document."))
    with ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            raise FileRefused(
                filename,
                _("The document is protected by a password: remove the password in Word or WPS and upload it again."),
            )
        if ole.exists("WordDocument"):
            try:
                fib = ole.openstream("WordDocument").read(12)
            except OSError:
                fib = b""
            if len(fib) < 12:
                raise FileRefused(
                    filename, _("The file is damaged or incomplete: it cannot be opened as a Word document.")
                )
            if fib[11] & 0x01:  # FibBase.fEncrypted (bit 8 of the flags at offset 0x0A)
                raise FileRefused(
                    filename,
                    _(
                        "The document is protected by a password: remove the password in "
                        "Word or WPS and upload it again."
                    ),
                )


def _run(args: list[str], cwd: Path, timeout: float) -> bool:
    """Run LibreOffice with limits; False when it failed or was killed for taking too long."""
    memory = _setting("JD_CONVERT_MEMORY", DEFAULT_MEMORY)
    command = (
        ["prlimit", f"--as={memory}", f"--cpu={int(timeout) + 5}", "--", *args] if shutil.which("prlimit") else args
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",
        "TMPDIR": str(cwd),
    }
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return process.wait(timeout=timeout) == 0
    except subprocess.TimeoutExpired:
        return False
    finally:
        try:  # the whole group: soffice starts soffice.bin, which may outlive it
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()


def convert_many(documents: list[tuple[str, bytes]]) -> list[bytes | None]:
    """The .docx of each ``(filename, data)``, or None for a document LibreOffice could not read."""
    binary = soffice()
    if binary is None:
        return [None] * len(documents)
    timeout = _setting("JD_CONVERT_TIMEOUT", DEFAULT_TIMEOUT)
    results: list[bytes | None] = [None] * len(documents)
    with tempfile.TemporaryDirectory(prefix="rolebook-convert-") as folder:
        root = Path(folder)
        inputs = []
        for i, (filename, data) in enumerate(documents):
            suffix = ".wps" if filename.lower().endswith(".wps") else ".doc"
            path = root / f"document-{i}{suffix}"
            path.write_bytes(data)
            inputs.append(path)
        out = root / "out"
        out.mkdir()
        profile = (root / "profile").as_uri()
        base = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
        ]
        _run(base + [str(p) for p in inputs], root, timeout if len(inputs) == 1 else timeout + 5 * len(inputs))
        for i, path in enumerate(inputs):
            target = out / f"{path.stem}.docx"
            if not target.is_file() and len(inputs) > 1:  # missed in the shared run: alone, once more
                _run(base + [str(path)], root, timeout)
            if target.is_file() and target.stat().st_size > 0:
                results[i] = target.read_bytes()
    return results


def to_docx(filename: str, data: bytes) -> bytes:
    """The .docx LibreOffice makes of a .doc or .wps; FileRefused when it cannot."""
    if soffice() is None:
        raise FileRefused(
            filename,
            _(
                "Word 97-2003 and WPS documents need LibreOffice, which is not installed on "
                "the server. Save the document as .docx and upload that."
            ),
        )
    converted = convert_many([(filename, data)])[0]
    if converted is None:
        raise FileRefused(
            filename, _("LibreOffice could not read the document (damaged, protected, or it took too long).")
        )
    return converted
