"""Checks of the CI examples that need Python: YAML that parses, the GitLab
report against the Code Quality schema, and action.yml's inputs.

    check_examples.py yaml FILE...
    check_examples.py gitlab-report SCHEMA REPORT
    check_examples.py gitlab-script FILE      (prints the job's script, one command a line)
    check_examples.py action-inputs ACTION_YML CHECK_SH
"""
import json
import re
import sys

import jsonschema
import yaml


def main(argv):
    cmd = argv[1]
    if cmd == "yaml":
        for path in argv[2:]:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            if not isinstance(doc, dict):
                sys.exit(f"{path}: not a YAML mapping")
    elif cmd == "gitlab-report":
        with open(argv[2], encoding="utf-8") as f:
            schema = json.load(f)
        with open(argv[3], encoding="utf-8") as f:
            report = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report))
        for e in errors:
            print(f"{argv[3]}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        if errors:
            sys.exit(1)
        print(len(report))
    elif cmd == "gitlab-script":
        with open(argv[2], encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for line in doc["exchange-auth-lint"]["script"]:
            print(line)
    elif cmd == "action-inputs":
        with open(argv[2], encoding="utf-8") as f:
            action = yaml.safe_load(f)
        with open(argv[3], encoding="utf-8") as f:
            script = f.read()
        text = yaml.safe_dump(action["runs"])
        problems = []
        for name in action["inputs"]:
            if f"inputs.{name}" not in text:
                problems.append(f"input {name} is not used by any step")
        # Each EAL_* variable the check step sets is read by check.sh.
        check = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
        for var in check["env"]:
            if not re.search(r"\$\{?" + var + r"\b", script):
                problems.append(f"{var} is set but check.sh does not read it")
        for p in problems:
            print(p)
        if problems:
            sys.exit(1)
        print(" ".join(action["inputs"]))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
