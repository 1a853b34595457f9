#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""layers.py DIR...: the dependencies between the C files of each DIR
(module/, userspace/), from their #includes and their calls, and the
circles among them.

A file depends on each file it #includes ("x.h", resolved beside it or
from DIR) and on each file that defines a function it calls by name
(a call through a pointer, such as a kind's operations, names no file).
A circle is a set of two or more files that all reach each other. Prints
the circles, largest first, and "DIR: N files, E dependencies, C circles
(F files in them)"; exits 1 when there is a circle.
"""
import os
import re
import sys

CALL = re.compile(r'\b([A-Za-z_]\w*)\s*\(')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A function defined at the start of a line: "type name(...)\n{" or
# "static inline type name(...)", its body's brace on a line of its own.
DEFINE = re.compile(r'^(?!static\b)[A-Za-z_][^;{}()=]*?\b([A-Za-z_]\w*)\s*\('
                    r'[^;{}]*\)\s*\n\{', re.M)
INLINE = re.compile(r'^static\s+inline\b[^;{}()=]*?\b([A-Za-z_]\w*)\s*\('
                    r'[^;{}]*\)\s*\n\{', re.M)
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')
# A declaration that is no call: "int lw_map_get(...);", a typedef of a
# function pointer, and "#define NAME(args)".
PROTOTYPE = re.compile(r'^[A-Za-z_][^;{}()=#]*(?:\(\s*\*\s*\w+\s*\))?\s*\('
                       r'[^;{}]*\)\s*;', re.M)
DEFINE_NAME = re.compile(r'^\s*#\s*define\s+\w+\(', re.M)
KEYWORDS = {'if', 'for', 'while', 'switch', 'return', 'sizeof', 'defined',
            'typeof', '__typeof__', 'offsetof', 'ARRAY_SIZE'}


def sources(top):
    for d, _, names in os.walk(top):
        for n in sorted(names):
            if n.endswith(('.c', '.h')) and not n.endswith('.mod.c') \
                    and n != 'lw_config.h':
                yield os.path.relpath(os.path.join(d, n), top)


def deps(top):
    text, defined, edges = {}, {}, {}
    for f in sources(top):
        with open(os.path.join(top, f), encoding='utf-8') as fh:
            raw = fh.read()
        code = STRING.sub('""', COMMENT.sub(' ', raw))
        text[f] = (raw, DEFINE_NAME.sub('#define X', PROTOTYPE.sub(';', code)))
        code = text[f][1]
        for m in DEFINE.finditer(code):
            if f.endswith('.c'):
                defined.setdefault(m.group(1), set()).add(f)
        for m in INLINE.finditer(code):
            if f.endswith('.h'):
                defined.setdefault(m.group(1), set()).add(f)
    for f, (raw, code) in text.items():
        out = set()
        for inc in INCLUDE.findall(raw):
            for cand in (os.path.normpath(os.path.join(os.path.dirname(f), inc)),
                         os.path.normpath(inc)):
                if cand in text:
                    out.add(cand)
                    break
        for name in set(CALL.findall(code)) - KEYWORDS:
            where = defined.get(name, set())
            if f in where:
                continue
            out.update(where)
        out.discard(f)
        edges[f] = out
    return edges


def circles(edges):
    """Tarjan's strongly connected components of two or more files."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(edges[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found, key=lambda c: (-len(c), c))


def main(dirs):
    bad = 0
    for top in dirs:
        if not os.path.isdir(top):
            print(f'layers.py: {top}: no such directory', file=sys.stderr)
            return 2
        edges = deps(top)
        found = circles(edges)
        for c in found:
            print(f'{top}: circle of {len(c)} files: {" ".join(c)}')
        n = sum(len(v) for v in edges.values())
        print(f'{top}: {len(edges)} files, {n} dependencies, '
              f'{len(found)} circles ({sum(len(c) for c in found)} files in them)')
        bad += len(found)
    return 1 if bad else 0


if __name__ == '__main__':
    if len(sys.argv) < 2:
        print('usage: layers.py DIR...', file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
