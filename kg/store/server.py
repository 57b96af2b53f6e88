"""A local Neo4j Community server for machines without Docker: jars from Maven Central, one JVM, clean stop.

The neo4j.com download site is out of reach on CI and on many build machines, but Maven Central is not, and
the server is published there as jars. `provision` copies them (with Neo4j Browser) into a cache once;
`start` writes a localhost-only neo4j.conf into a private home directory (0700: data, the password hash and
logs are readable by the user alone), sets the initial password (written straight into the auth file, so it
never appears on a command line that `ps` shows), launches
`java -cp <jars> org.neo4j.server.CommunityEntryPoint` in the background and waits until Bolt answers;
`stop` ends that JVM (SIGTERM, then SIGKILL after a timeout), so nothing is left behind.

Home and ports are parameters, so the test suite runs its own server in a temporary directory on free ports
without touching a user's server on 7687/7474.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import StoreError, shown

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
MIN_PASSWORD_LENGTH = 8  # Neo4j 5's dbms.security.auth_minimum_password_length
STATE_FILE = "kg-server.json"

# What the `neo4j` launcher script would pass: netty and the page cache want these packages open.
_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


def default_home() -> Path:
    """Where `kg neo4j start` keeps conf, data and logs unless told otherwise."""
    env = os.environ.get("KG_NEO4J_HOME")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg" / "neo4j"


def default_cache() -> Path:
    """Where the jars go: shared by every home, so a second server (or a second start) downloads nothing."""
    env = os.environ.get("KG_NEO4J_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg" / "neo4j"


@dataclass(frozen=True)
class ServerConfig:
    """One local server: its home directory, ports and memory. Memory suits a 2-core, 24 GB machine."""

    home: Path = field(default_factory=default_home)
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "1g"
    pagecache: str = "512m"
    version: str = NEO4J_VERSION
    cache: Path = field(default_factory=default_cache)

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    home: str
    pid: int | None = None
    bolt_uri: str = ""
    browser_url: str = ""
    version: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def lib_dir(config: ServerConfig) -> Path:
    return config.cache / config.version / "lib"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise provisioning and starting between processes (two test sessions, a user and a test)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def provision(config: ServerConfig | None = None) -> Path:
    """Copy the server's jars from Maven Central into the cache (once); return the directory holding them."""
    config = config or ServerConfig()
    target = lib_dir(config)
    marker = target / ".complete"
    if marker.is_file():
        return target
    with _locked(config.cache / ".lock"):
        if marker.is_file():
            return target
        mvn = shutil.which("mvn")
        if mvn is None:
            raise StoreError("Maven (mvn) is not installed; it is needed once to fetch Neo4j's jars")
        pom = resources.files("kg.store").joinpath("neo4j-pom.xml").read_text(encoding="utf-8")
        pom = pom.replace("@NEO4J_VERSION@", config.version).replace("@BROWSER_VERSION@", BROWSER_VERSION)
        with tempfile.TemporaryDirectory(prefix="kg-neo4j-pom-") as work:
            (Path(work) / "pom.xml").write_text(pom, encoding="utf-8")
            staging = target.with_name("lib.partial")
            shutil.rmtree(staging, ignore_errors=True)
            cmd = [mvn, "-B", "-q", "dependency:copy-dependencies", f"-DoutputDirectory={staging}"]
            done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
                raise StoreError(f"could not fetch Neo4j {config.version} with Maven: {tail}")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        marker.write_text(config.version + "\n", encoding="utf-8")
    return target


_SIZE = re.compile(r"[1-9][0-9]*[kKmMgG]?")
PRIVATE_DIR = 0o700
PRIVATE_UMASK = 0o077


def check_config(config: ServerConfig) -> None:
    """Values the JVM or Neo4j would reject with a long stack trace: refused here in one line."""
    for option, value in (("--heap", config.heap), ("--pagecache", config.pagecache)):
        if not _SIZE.fullmatch(value):
            raise StoreError(f"{option} {shown(value)}: expected a size such as 512m or 2g")
    for option, port in (("--bolt-port", config.bolt_port), ("--http-port", config.http_port)):
        if not 0 < port < 65536:
            raise StoreError(f"{option} {port}: expected a port between 1 and 65535")
    if config.bolt_port == config.http_port:
        raise StoreError(f"--bolt-port and --http-port are both {config.bolt_port}; give them different ports")


def make_private(home: Path) -> None:
    """Create `home` readable by its owner only, and take group and other access off what it holds (a home
    made by an earlier kg was 0755, its auth file 0644)."""
    if home.exists() and not home.is_dir():
        raise StoreError(f"{shown(home)}: exists and is not a folder; give --home a folder for the server")
    try:
        home.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        os.chmod(home, PRIVATE_DIR)
        for root, dirs, files in os.walk(home):
            for name in dirs + files:
                path = os.path.join(root, name)
                mode = os.lstat(path).st_mode
                if mode & 0o077 and not os.path.islink(path):
                    os.chmod(path, mode & ~0o077 & 0o7777)
    except OSError as e:
        raise StoreError(f"{shown(home)}: cannot prepare the server home ({e.strerror or e})") from e


def _private_child() -> None:  # pragma: no cover - runs in the child between fork and exec
    os.umask(PRIVATE_UMASK)


def write_conf(config: ServerConfig) -> Path:
    """Write conf/neo4j.conf: localhost only, fixed memory, no usage reports, Browser on the http port."""
    make_private(config.home)
    conf_dir = config.home / "conf"
    _mkdir(conf_dir)
    lines = [
        "# Written by kg (kg.store.server); rewritten at every `kg neo4j start`.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=localhost",
        f"server.bolt.listen_address=127.0.0.1:{config.bolt_port}",
        f"server.bolt.advertised_address=localhost:{config.bolt_port}",
        f"server.http.listen_address=127.0.0.1:{config.http_port}",
        f"server.http.advertised_address=localhost:{config.http_port}",
        "server.https.enabled=false",
        f"server.memory.heap.initial_size={config.heap}",
        f"server.memory.heap.max_size={config.heap}",
        f"server.memory.pagecache.size={config.pagecache}",
        "db.memory.transaction.total.max=512m",
        "dbms.usage_report.enabled=false",
        "server.directories.plugins=plugins",
        # Shut Bolt down without netty's default 2 s quiet period + 5 s wait per event loop.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "internal.dbms.bolt.netty_server_shutdown_timeout=2",
        "",
    ]
    path = conf_dir / "neo4j.conf"
    try:
        path.write_text("\n".join(lines), encoding="utf-8")
        path.chmod(0o600)
    except OSError as e:
        raise StoreError(f"{shown(path)}: cannot write ({e.strerror or e})") from e
    for sub in ("data", "logs", "plugins", "run", "import"):
        _mkdir(config.home / sub)
    return path


def _mkdir(path: Path) -> None:
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"{shown(path)}: exists and is not a folder; the server keeps a folder there") from None
    except OSError as e:
        raise StoreError(f"{shown(path)}: cannot create ({e.strerror or e})") from e


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise StoreError("Java (17 or 21) is not installed; the local Neo4j server needs it")
    return java


def _java_env(config: ServerConfig) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(config.home)
    env["NEO4J_CONF"] = str(config.home / "conf")
    env.pop("NEO4J_PASSWORD", None)  # the JVM does not need it; keep it out of its environment
    return env


def run_admin(config: ServerConfig, *args: str) -> subprocess.CompletedProcess[str]:
    """Run neo4j-admin (org.neo4j.cli.AdminTool) from the cached jars against this home."""
    lib = provision(config)
    cmd = [_java(), "-Xmx1g", "-cp", f"{lib}/*", ADMIN_TOOL, *args]
    return subprocess.run(
        cmd, env=_java_env(config), capture_output=True, text=True, check=False, preexec_fn=_private_child
    )


def _initialised(config: ServerConfig) -> bool:
    return (config.home / "data" / "databases" / "system").exists()


AUTH_ITERATIONS = 1024


def auth_line(user: str, password: str, salt: bytes | None = None) -> str:
    """A user's line in data/dbms/auth.ini, as `neo4j-admin dbms set-initial-password` writes it (Neo4j 5):
    SHA-256 of salt + password, rehashed to 1024 iterations."""
    salt = salt if salt is not None else secrets.token_bytes(32)
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(AUTH_ITERATIONS - 1):
        digest = hashlib.sha256(digest).digest()
    return f"{user}:SHA-256,{digest.hex()},{salt.hex()},{AUTH_ITERATIONS}:\n"


def _set_initial_password(config: ServerConfig, password: str) -> None:
    """Write the initial password's hash into the auth file Neo4j reads when it creates its system database.

    Not through `neo4j-admin dbms set-initial-password PASSWORD`: its argument would be on the process list,
    readable by every user of the machine while the JVM runs.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"the Neo4j password must be at least {MIN_PASSWORD_LENGTH} characters long")
    dbms = config.home / "data" / "dbms"
    _mkdir(dbms)
    path = dbms / "auth.ini"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(auth_line("neo4j", password))
    except OSError as e:
        raise StoreError(f"could not set the initial Neo4j password in {shown(config.home)}: {e.strerror or e}") from e


def _state_path(home: Path) -> Path:
    return home / "run" / STATE_FILE


def _forget_state(home: Path) -> None:
    with contextlib.suppress(OSError):
        _state_path(home).unlink(missing_ok=True)


def _read_state(home: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_state_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_our_jvm(pid: int, home: Path) -> bool:
    """True when `pid` is alive and a Neo4j JVM of this home (a stale pid file may name another process)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True  # no /proc (macOS): trust the pid file
    args = [a.decode("utf-8", "replace") for a in cmdline]
    return ENTRY_POINT in args and f"--home-dir={home}" in args


def status(home: Path | None = None) -> ServerStatus:
    home = (home or default_home()).resolve()
    state = _read_state(home)
    if not state:
        return ServerStatus(running=False, home=str(home))
    pid = int(str(state.get("pid", 0)))
    running = pid > 0 and _is_our_jvm(pid, home)
    return ServerStatus(
        running=running,
        home=str(home),
        pid=pid if running else None,
        bolt_uri=str(state.get("bolt_uri", "")),
        browser_url=str(state.get("browser_url", "")),
        version=str(state.get("version", "")),
    )


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick), for test servers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux only: the JVM gets SIGTERM when the process that started it dies (test sessions)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _child_setup(die_with_parent: bool):  # type: ignore[no-untyped-def]
    """What the JVM's process does before exec: private files (umask 077), and maybe die with its parent."""

    def setup() -> None:  # pragma: no cover - runs in the child
        _private_child()
        if die_with_parent and sys.platform == "linux":
            _die_with_parent()

    return setup


def _log_tail(home: Path, lines: int = 3) -> str:
    for name in ("logs/neo4j.log", "logs/console.log"):
        path = home / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            errors = [line for line in text if " ERROR " in line] or text
            if errors:
                return " | ".join(errors[-lines:])
    return "no log written"


def bolt_answers(uri: str, timeout: float = 2.0) -> bool:
    """True when something speaking Bolt accepts a handshake at `uri` (no credentials needed)."""
    host_port = uri.split("://", 1)[-1].rstrip("/")
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout) as sock:
            # Bolt magic preamble, then four version proposals (5.x, 4.4, and two empty slots).
            sock.sendall(b"\x60\x60\xb0\x17" + b"\x00\x04\x04\x05" + b"\x00\x00\x04\x04" + b"\x00" * 8)
            reply = sock.recv(4)
            return len(reply) == 4 and reply != b"\x00\x00\x00\x00"
    except (OSError, ValueError):
        return False


def _database_online(config: ServerConfig, password: str) -> bool | None:
    """True when the default database answers a query; None when the server refuses this password."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

    try:
        with GraphDatabase.driver(config.bolt_uri, auth=("neo4j", password)) as driver:
            driver.execute_query("RETURN 1")
            return True
    except AuthError:
        return None
    except (ServiceUnavailable, SessionExpired, Neo4jError, OSError):
        return False


def start(
    config: ServerConfig | None = None,
    password: str = "",
    timeout: float = 180.0,
    die_with_parent: bool = False,
) -> ServerStatus:
    """Start the server in the background (fetching jars the first time) and return once Bolt answers.

    `password` becomes the `neo4j` user's password when the home is new; for an existing home it must be
    the one set then. Already running → its status, untouched. `die_with_parent` ties the JVM's life to
    this process, for test sessions that may be killed before their clean-up runs.
    """
    config = config or ServerConfig()
    check_config(config)
    config = ServerConfig(**{**asdict(config), "home": config.home.resolve()})
    try:
        config.home.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{shown(config.home)}: cannot create the server home ({e.strerror or e})") from e
    with _locked(config.home.parent / f".{config.home.name}.lock"):
        current = status(config.home)
        if current.running:
            return current
        for port in (config.bolt_port, config.http_port):
            if not port_free(port):
                raise StoreError(
                    f"port {port} on 127.0.0.1 is taken by another process; choose other ports "
                    "(kg neo4j start --bolt-port/--http-port) or stop that process"
                )
        lib = provision(config)
        write_conf(config)
        if not _initialised(config):
            if not password:
                raise StoreError("set NEO4J_PASSWORD (or --password) to the password the new server is to use")
            _set_initial_password(config, password)
        cmd = [
            _java(),
            f"-Xms{config.heap}",
            f"-Xmx{config.heap}",
            *_JVM_OPTIONS,
            "-cp",
            f"{lib}/*",
            ENTRY_POINT,
            f"--home-dir={config.home}",
            f"--config-dir={config.home / 'conf'}",
        ]
        console_path = config.home / "logs" / "console.log"
        console = open(os.open(console_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")  # noqa: SIM115
        try:
            proc = subprocess.Popen(
                cmd,
                env=_java_env(config),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                cwd=config.home,
                start_new_session=True,
                preexec_fn=_child_setup(die_with_parent),
            )
        finally:
            console.close()
        state = {
            "pid": proc.pid,
            "bolt_uri": config.bolt_uri,
            "browser_url": config.browser_url,
            "version": config.version,
            "bolt_port": config.bolt_port,
            "http_port": config.http_port,
        }
        _state_path(config.home).write_text(json.dumps(state), encoding="utf-8")
        _state_path(config.home).chmod(0o600)
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                _forget_state(config.home)
                raise StoreError(f"Neo4j exited during start-up (code {proc.returncode}): {_log_tail(config.home)}")
            if bolt_answers(config.bolt_uri) and (not password or _database_online(config, password) is not False):
                break
            if time.monotonic() > deadline:
                _terminate(proc.pid, config.home, 30.0)
                raise StoreError(
                    f"Neo4j did not answer on {config.bolt_uri} in {timeout:.0f} s; see {config.home}/logs"
                )
            time.sleep(0.5)
        return status(config.home)


def password_refused(config: ServerConfig, password: str) -> bool:
    """True when the running server refuses `password` for neo4j: its home was created with another one
    (the password is set once, when the home is new; a later NEO4J_PASSWORD does not change it)."""
    return bool(password) and _database_online(config, password) is None


def _terminate(pid: int, home: Path, timeout: float) -> None:
    """SIGTERM (Neo4j checkpoints and closes its stores), then SIGKILL if it hangs past `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
        time.sleep(0.1)
    _forget_state(home)


def _alive(pid: int) -> bool:
    """True while `pid` runs; reaps it when it is our child, so a stopped server leaves no zombie."""
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(home: Path | None = None, timeout: float = 60.0) -> bool:
    """Stop the server of `home`; False when it was not running."""
    home = (home or default_home()).resolve()
    current = status(home)
    if not current.running or current.pid is None:
        _forget_state(home)
        return False
    _terminate(current.pid, home, timeout)
    return True
