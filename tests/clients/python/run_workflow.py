"""Runs the `run:` steps of one job of a GitHub Actions workflow locally, for
one matrix entry, the way the runner would (bash -eo pipefail, the job's and
the step's env, `${{ matrix.* }}` / `${{ env.* }}` / `${{ github.* }}`
substituted). `uses:` steps are skipped and listed, as are the steps whose id
is given with --skip; any other expression is an error, so a step this script
cannot run faithfully is never run half-way.

usage: run_workflow.py WORKFLOW JOB [--matrix KEY=VALUE] [--skip ID]...
                       [--github KEY=VALUE]... [--cwd DIR]
"""

import argparse
import os
import re
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("workflow")
    ap.add_argument("job")
    ap.add_argument("--matrix", default=None, help="KEY=VALUE selecting the matrix entry")
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("--github", action="append", default=[])
    ap.add_argument("--cwd", default=".")
    a = ap.parse_args()

    with open(a.workflow, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    job = wf["jobs"][a.job]
    matrix = {}
    entries = job.get("strategy", {}).get("matrix", {}).get("include", [])
    if a.matrix:
        key, value = a.matrix.split("=", 1)
        found = [e for e in entries if str(e.get(key)) == value]
        if len(found) != 1:
            print(f"run_workflow: no single matrix entry with {key}={value}", file=sys.stderr)
            return 2
        matrix = found[0]
    github = dict(kv.split("=", 1) for kv in a.github)
    env = {**{k: str(v) for k, v in (wf.get("env") or {}).items()}}

    def subst(text: str, where: str) -> str:
        def one(m: re.Match) -> str:
            expr = m.group(1)
            scope, _, name = expr.partition(".")
            table = {"matrix": matrix, "env": env, "github": github}.get(scope)
            if table is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name) or name not in table:
                raise SystemExit(f"run_workflow: cannot evaluate ${{{{ {expr} }}}} in {where}")
            return str(table[name])

        return EXPR.sub(one, text)

    env.update({k: subst(str(v), "job env") for k, v in (job.get("env") or {}).items()})
    shell_default = (job.get("defaults") or {}).get("run", {}).get("shell", "bash")
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {i + 1}"
        if "uses" in step:
            print(f"--- skip (uses): {name}", flush=True)
            continue
        if step.get("id") in a.skip:
            print(f"--- skip (--skip {step['id']}): {name}", flush=True)
            continue
        if "if" in step:
            raise SystemExit(f"run_workflow: step {name!r} has an if: this script does not evaluate")
        if step.get("shell", shell_default) != "bash":
            raise SystemExit(f"run_workflow: step {name!r} is not a bash step")
        step_env = dict(os.environ)
        step_env.update(env)
        step_env.update({k: subst(str(v), name) for k, v in (step.get("env") or {}).items()})
        script = subst(step["run"], name)
        cwd = os.path.join(a.cwd, step.get("working-directory", "."))
        print(f"--- run: {name}", flush=True)
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=step_env)
        if r.returncode != 0:
            print(f"run_workflow: step {name!r} failed with exit code {r.returncode}", file=sys.stderr)
            return r.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
