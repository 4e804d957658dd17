"""Running `redreply batch` as a user does, shared by the batch and crash tests."""

import json
import os
import subprocess
import sys

COMMENTS = [
    "物流太慢了，等了一个星期", "面膜敷完脸好干", "精油直接涂脸上刺痛", "客服态度好差，问了半天不回",
    "颜色和图片差好多", "听说这牌子含激素，别买", "收到的精华漏液了，盒子都湿了", "請問敏感肌可以用這個面膜嗎",
]


def write_input(path, n):
    lines = [json.dumps({"id": f"b{i:03d}", "text": COMMENTS[i % len(COMMENTS)] + f" #{i}"}, ensure_ascii=False)
             for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_batch(settings, inp, out, *extra, wait=True):
    env = {**os.environ, "REDREPLY_DATA_DIR": str(settings.data_dir)}
    cmd = [sys.executable, "-m", "agent.cli", "batch", str(inp), "--brand", "glowskin", "--out", str(out), *extra]
    if wait:
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def out_ids(out):
    return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
