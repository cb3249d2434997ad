#!/usr/bin/env python3
"""Checks the layering of src/ against the module matrix (module_deps.txt).

Usage: module_deps.py MATRIX SRC_DIR

Fails (exit 1, one line per problem) when
  - a file includes "X/..." from a module its row does not list;
  - a file lives in a folder that has no row;
  - a CMakeLists.txt links a dockerops_* library its row does not list, or a
    module includes a module it does not link (directly or through others);
  - the matrix itself has a cycle or names a module without a row;
  - two files of one module include each other, directly or in a loop
    (x.hpp, x.cpp and the private x_impl.hpp or x_parts.hpp are one unit), unless the matrix lists the
    module under "cycles-allowed".
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
MODULE_CALL = re.compile(r'dockerops_module\(\s*(\w+)([^)]*)\)')
LINK_CALL = re.compile(r'target_link_libraries\(\s*([\w-]+)([^)]*)\)')


def read_matrix(path):
    """The rows, and the modules whose files may still include each other in a loop."""
    rows, cyclic = {}, set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        if ':' not in line:
            sys.exit(f'{path}:{number}: expected "module: modules it may use"')
        module, uses = line.split(':', 1)
        if module.strip() == 'cycles-allowed':
            cyclic.update(uses.split())
        else:
            rows[module.strip()] = uses.split()
    return rows, cyclic


def module_of(path, src, modules):
    """The longest module folder that holds the file; "main" for files directly in src/."""
    rel = path.relative_to(src).parent.as_posix()
    if rel == '.':
        return 'main'
    best = None
    for module in modules:
        if (rel == module or rel.startswith(module + '/')) and (best is None or len(module) > len(best)):
            best = module
    return best


def unit_of(rel):
    """The unit of a file: its path without extension; a private header of unit x
    (x_impl.hpp, x_parts.hpp) belongs to x."""
    unit = rel.rsplit('.', 1)[0]
    for suffix in ('_impl', '_parts'):
        if unit.endswith(suffix):
            return unit[:-len(suffix)]
    return unit


def target_module(target):
    """dockerops_dns_zone -> dns/zone; None for other targets."""
    if not target.startswith('dockerops_'):
        return None
    return target[len('dockerops_'):].replace('_', '/', 1) if target.startswith('dockerops_dns_') \
        else target[len('dockerops_'):]


def find_cycle(graph):
    """A list of nodes forming a cycle in graph (node -> set of nodes), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = 'open'
        stack.append(node)
        for succ in sorted(graph.get(node, ())):
            if state.get(succ) == 'open':
                return stack[stack.index(succ):] + [succ]
            if succ not in state:
                found = visit(succ)
                if found:
                    return found
        stack.pop()
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    matrix_path, src = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
    rows, cyclic = read_matrix(matrix_path)
    problems = []
    for module, uses in rows.items():
        for used in uses:
            if used not in rows:
                problems.append(f'{matrix_path.name}: {module} uses {used}, which has no row')
    cycle = find_cycle({m: set(u) for m, u in rows.items()})
    if cycle:
        problems.append(f'{matrix_path.name}: modules in a cycle: {" -> ".join(cycle)}')

    # Includes.
    included = {}  # module -> modules it includes
    units = {}     # unit (path without extension) -> units it includes, within one module
    for path in sorted(list(src.rglob('*.cpp')) + list(src.rglob('*.hpp'))):
        module = module_of(path, src, rows)
        rel = path.relative_to(src).as_posix()
        if module is None:
            problems.append(f'src/{rel}: folder has no row in {matrix_path.name}')
            continue
        unit = unit_of(rel)
        units.setdefault(unit, set())
        text = path.read_text(errors='replace')
        for match in INCLUDE.finditer(text):
            header = match.group(1)
            if not (src / header).is_file():
                continue  # not a src/ header (generated, or relative to the file)
            line = text.count('\n', 0, match.start()) + 1
            target = module_of(src / header, src, rows)
            if target is None:
                continue
            if target == module:
                if module in cyclic:
                    continue
                other = unit_of(header)
                if other != unit:
                    units[unit].add(other)
                continue
            included.setdefault(module, set()).add(target)
            if target not in rows.get(module, []):
                problems.append(f'src/{rel}:{line}: {module} may not include "{header}" ({target}); '
                                f'allowed: {" ".join(rows.get(module, [])) or "nothing"}')
    cycle = find_cycle(units)
    if cycle:
        problems.append(f'include cycle: {" -> ".join(c for c in cycle)}')

    # Links.
    links = {}
    for cmake in sorted(src.rglob('CMakeLists.txt')):
        text = cmake.read_text()
        calls = [(m.group(1), m.group(2)) for m in MODULE_CALL.finditer(text) if m.group(1) != 'name']
        calls += [(m.group(1), m.group(2)) for m in LINK_CALL.finditer(text)]
        for name, args in calls:
            if name in ('dockerops', 'dockerops-dnsd'):
                module = 'main'
            else:
                module = target_module(name if name.startswith('dockerops_') else 'dockerops_' + name)
            if module not in rows:
                continue
            for word in args.split():
                used = target_module(word)
                if used is None or used == 'warnings' or used == module:
                    continue
                links.setdefault(module, set()).add(used)
                if used not in rows[module]:
                    problems.append(f'{cmake.relative_to(src.parent)}: {module} links dockerops_'
                                    f'{used.replace("/", "_")}, not in its row')

    def reachable(module):
        seen, todo = set(), list(links.get(module, ()))
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(links.get(m, ()))
        return seen

    for module, targets in sorted(included.items()):
        missing = sorted(targets - reachable(module))
        if missing:
            problems.append(f'{module} includes {" ".join(missing)} but does not link it')

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f'{len(rows)} modules, {sum(len(v) for v in included.values())} module uses, all in the matrix')
    return 0


if __name__ == '__main__':
    sys.exit(main())
