#!/usr/bin/python3
"""SQL built from values instead of bound parameters: a static check of the C++ sources.

    /usr/bin/python3 sql_concat_check.py [--root DIR] [FILE ...]     exit 0: clean, 1: findings

Scans data/store/*.{cpp,h} and api/**/*.{cpp,h} (or the FILEs given). The heuristic, on a token stream
of each file (comments removed, string literals kept whole, raw strings included):

1. An *SQL expression* is the expression (at its own parenthesis depth, up to a ',' ';' '(' ')' '{'
   '}' '=' '<<' or 'return') around a string literal that holds an upper-case SQL keyword (SELECT,
   INSERT INTO, UPDATE ... SET, DELETE FROM, WHERE, VALUES, ORDER BY, GROUP BY, LIMIT, JOIN). A
   variable initialised or assigned from an SQL expression is an *SQL variable*; every `v += expr`
   and `v = expr` of it is an SQL expression too.
2. The expression is split at its top-level '+' (and '?' ':' of a conditional). Each operand must be
   *safe*:
     - string literals (also "a" "b"), and std::string(...)/std::string_view(...) of a safe operand;
     - a constant by the code's naming convention, kName (constexpr tables and column lists);
     - a call of a builder that only emits identifiers or placeholders: QuoteIdent (quotes an
       identifier), ColumnList, Placeholders, KeyOrder, std::to_string (digits only: a placeholder
       number like ":p" + std::to_string(i), or a LIMIT of an integer);
     - a parenthesised safe expression, or a conditional whose branches are both safe;
     - a local variable or member whose every assignment in the file (`x = e`, `x += e`, `T x = e`,
       `T x(e)`) is itself a safe expression (resolved to a fixed point: builders of WHERE clauses made
       of literals and placeholders pass), or a loop variable over a safe brace list;
     - a name in ALLOW below, for that file, with the reason it is not a value from outside.
   Anything else (a parameter, a field of a request, a function result) is a finding: file:line and the
   operand.
3. What it cannot see: a value bound with soci::use() is never part of the SQL text, so it is not
   checked and needs no check. A builder function that itself pastes a value in would pass as a
   call; the builders allowed above are listed by name and reviewed (docs/security.md).

The checker is tested against fixtures/bad.cpp (every finding there must be reported) and
fixtures/good.cpp (none may be): --self-test.
"""
import argparse
import glob
import os
import re
import sys

SQL_WORDS = re.compile(r'\b(SELECT|INSERT\s+INTO|UPDATE\b.*\bSET|DELETE\s+FROM|WHERE|VALUES|ORDER\s+BY|GROUP\s+BY|'
                       r'LIMIT|JOIN|CREATE\s+TABLE|ALTER\s+TABLE|DROP\s+TABLE)\b')
PLACEHOLDER = re.compile(r'(?:^|[\s(,=<>])(?::[a-z]\w*|\$\d+)\b')
SINKS = {'Select', 'SelectPage'}  # Table::Select(where, params) / SelectPage(where, ...): `where` is SQL text
SAFE_CALLS = {'QuoteIdent', 'ColumnList', 'Placeholders', 'KeyOrder', 'to_string', 'std::to_string'}
WRAPPERS = {'std::string', 'std::string_view', 'string'}
# file (relative to the root) -> {name: reason}. Only names a reviewer checked by hand belong here.
ALLOW = {
    'data/store/table.cpp': {
        'where': 'Table::Select/SelectPage take a WHERE fragment by contract (table.h); every caller\'s '
                 'argument is checked in its own file as a sink (x.Select(...), x.SelectPage(...))',
        'cond': "SelectPage's `where` in parentheses plus a QuoteIdent-ed key column and a placeholder",
    },
    'data/store/repository.h': {
        'where': 'Repository::Page hands its WHERE fragment to Table::SelectPage; its one caller '
                 '(api/rest/registers.cpp Officers) builds it from literals and :pN placeholders (checked there)',
    },
}

TOKEN = re.compile(r'''
    (?P<raw>R"(?P<delim>[^(\s]*)\((?:.|\n)*?\)(?P=delim)")
  | (?P<str>(?:u8|u|U|L)?"(?:\\.|[^"\\\n])*")
  | (?P<chr>'(?:\\.|[^'\\\n])*')
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*(?:.|\n)*?\*/)
  | (?P<pp>^[ \t]*\#[^\n]*)
  | (?P<id>[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)
  | (?P<num>\d[\w.']*)
  | (?P<op><<=|>>=|<<|>>|\+=|-=|==|!=|<=|>=|&&|\|\||->|::|\+\+|--|[^\s\w])
''', re.X | re.M)


class Tok:
    __slots__ = ('kind', 'text', 'line', 'scope')

    def __init__(self, kind, text, line):
        self.kind, self.text, self.line, self.scope = kind, text, line, 0

    def __repr__(self):
        return self.text


def tokenize(src):
    out = []
    for m in TOKEN.finditer(src):
        kind = m.lastgroup if m.lastgroup != 'delim' else 'raw'
        if m.group('raw') is not None:
            kind = 'str'
        if kind in ('lc', 'bc', 'pp'):
            continue
        out.append(Tok(kind, m.group(0), src.count('\n', 0, m.start()) + 1))
    return out


def literal_text(tok):
    t = tok.text
    if t.startswith('R"'):
        return t
    return t[t.index('"'):]


STOP = {',', ';', '(', ')', '{', '}', '=', '<<', 'return', '[', ']'}


def expression_around(toks, i):
    """The token range [a, b) of the expression at the depth of toks[i] that contains it."""
    a = i
    depth = 0
    while a > 0:
        t = toks[a - 1].text
        if t in (')', ']'):
            depth += 1
        elif t in ('(', '['):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t in STOP or t == '+=' or t == '?' or t == ':'):
            break
        a -= 1
    b = i + 1
    depth = 0
    while b < len(toks):
        t = toks[b].text
        if t in ('(', '['):
            depth += 1
        elif t in (')', ']'):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t in STOP or t == '?' or t == ':'):
            break
        b += 1
    # The literal wrapped as std::string("SELECT ") + ...: the expression around the wrapper.
    if a >= 2 and b < len(toks) and toks[a - 1].text == '(' and toks[a - 2].text in WRAPPERS and toks[b].text == ')':
        return expression_around(toks, a - 2)
    return a, b


def mark_scopes(toks):
    """Tok.scope: the number of the outermost function body (a '{' block not of a namespace, class,
    struct, union, enum or extern "C") each token lies in; 0 outside any. Assignments are resolved per
    function body, so one name used for SQL in one function and for a number in another is two names."""
    stack, scope, n = [], 0, 0
    for i, t in enumerate(toks):
        if t.text == '{':
            j = i - 1
            while j >= 0 and toks[j].text not in (';', '{', '}'):
                j -= 1
            head = {x.text for x in toks[j + 1:i]}
            transparent = bool(head & {'namespace', 'class', 'struct', 'union', 'enum', 'extern'}) and '(' not in head
            if not transparent and scope == 0:
                n += 1
                scope = n
                stack.append(('fn', n))
            else:
                stack.append(('t' if transparent else 'b', scope))
        t.scope = scope
        if t.text == '}' and stack:
            kind, _ = stack.pop()
            if kind == 'fn':
                scope = 0


def closing(toks, i):
    """The index of the bracket that closes toks[i] ('(', '[' or '{'); len(toks) if none does."""
    depth = 0
    for j in range(i, len(toks)):
        x = toks[j].text
        depth += x in ('(', '[', '{')
        depth -= x in (')', ']', '}')
        if depth == 0:
            return j
    return len(toks)


def until_top(toks, j, stops):
    """The index of the first token from j, at the depth of toks[j], that is in `stops` or closes a
    bracket opened before j."""
    depth = 0
    while j < len(toks):
        x = toks[j].text
        if x in ('(', '[', '{'):
            depth += 1
        elif x in (')', ']', '}'):
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and x in stops:
            return j
        j += 1
    return j


def split_top(toks, seps):
    parts, cur, depth = [], [], 0
    for t in toks:
        if t.text in ('(', '[', '{'):
            depth += 1
        elif t.text in (')', ']', '}'):
            depth -= 1
        if depth == 0 and t.text in seps:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


class Checker:
    def __init__(self, rel, toks):
        self.rel, self.toks = rel, toks
        self.allow = ALLOW.get(rel, {})
        self.assign = {}  # (scope, name) -> [token lists]
        mark_scopes(toks)
        self.collect_assignments()
        self.collect_functions()
        self.safe_names = {}
        self.resolving = set()

    def collect_assignments(self):
        toks = self.toks
        for i, t in enumerate(toks):
            if t.kind != 'id' or i + 1 >= len(toks):
                continue
            nxt, prev = toks[i + 1].text, toks[i - 1] if i > 0 else None
            key = (t.scope, t.text)
            if nxt in ('=', '+=') and (prev is None or prev.text not in ('.', '->', 'operator')):
                rhs = toks[i + 2:until_top(toks, i + 2, {';', ','})]  # x = e; x += e
            elif nxt == '(' and prev is not None and prev.text in ('string', 'std::string'):
                rhs = toks[i + 2:closing(toks, i + 1)]  # std::string x(e)
            elif nxt == '{' and prev is not None and (prev.text == '>' or prev.kind == 'id') and \
                    prev.text not in ('namespace', 'struct', 'class', 'enum', 'union', 'return'):
                rhs = toks[i + 1:closing(toks, i + 1) + 1]  # T x{...}: a brace initialiser
            elif nxt == ':' and prev is not None and (prev.text in ('auto', '&', '&&', '*') or (
                    prev.kind == 'id' and i > 1 and toks[i - 2].text in ('auto', 'const'))):
                rhs = toks[i + 2:until_top(toks, i + 2, set())]  # for (const auto& x : {...}) / (const char* x : kList)
            else:
                continue
            self.assign.setdefault(key, []).append(rhs)

    def collect_functions(self):
        """Functions and lambdas defined in the file: `R Name(params) ... {` and `auto Name = [..](params) {`.
        A parameter's assignments are the arguments of every call of Name in the file; a call of Name
        is safe when every `return` of its body is."""
        toks = self.toks
        self.funcs = {}  # name -> (parameter names, body scope, index of the body's "{")
        for i, t in enumerate(toks):
            if t.text != '(':
                continue
            j = closing(toks, i)  # the matching ')' and then '{' (after const/noexcept/override/-> R)
            k = j + 1
            while k < len(toks) and toks[k].text not in ('{', ';', '(', ')', '=', ','):
                k += 1
            if k >= len(toks) or toks[k].text != '{' or j + 1 >= len(toks):
                continue
            if i > 0 and toks[i - 1].text == ']':  # lambda: auto name = [..](..) {
                m = i - 1
                while m > 0 and toks[m].text != '[':
                    m -= 1
                if m < 2 or toks[m - 1].text != '=' or toks[m - 2].kind != 'id':
                    continue
                name = toks[m - 2].text
            elif i > 0 and toks[i - 1].kind == 'id' and toks[i - 1].text not in ('if', 'for', 'while', 'switch', 'catch'):
                name = toks[i - 1].text.split('::')[-1]
            else:
                continue
            params = [p for p in split_top(toks[i + 1:j], {','}) if p]
            names = []
            for p in params:
                p = split_top(p, {'='})[0]
                ids = [x for x in p if x.kind == 'id']
                names.append(ids[-1].text if ids else None)
            body_scope = toks[k + 1].scope if k + 1 < len(toks) else 0
            self.funcs[name] = (names, body_scope, k)
        for name, (names, body_scope, k) in self.funcs.items():
            for i, t in enumerate(toks[:-1]):
                if t.text.split('::')[-1] != name or toks[i + 1].text != '(' or i + 1 == k:
                    continue
                j = closing(toks, i + 1)
                if j + 1 < len(toks) and any(x.text == '{' for x in toks[j + 1:j + 2]):
                    continue  # the definition itself
                args = split_top(toks[i + 2:j], {','})
                for pos, arg in enumerate(args):
                    if pos < len(names) and names[pos]:
                        self.assign.setdefault((body_scope, names[pos]), []).append(arg)

    def call_safe(self, name):
        """A function of this file whose every return expression is safe."""
        f = self.funcs.get(name)
        if not f:
            return False
        _, body_scope, k = f
        if ('call', name) in self.resolving:
            return True
        self.resolving.add(('call', name))
        ok, found, toks = True, False, self.toks
        for i in range(k, len(toks)):
            if toks[i].scope != body_scope:
                break
            if toks[i].text == 'return':
                j = i + 1
                while j < len(toks) and toks[j].text != ';':
                    j += 1
                found = True
                ok = ok and self.expr_safe(toks[i + 1:j])
        self.resolving.discard(('call', name))
        return ok and found

    def name_safe(self, name, scope):
        if name in self.allow:
            return True
        if re.fullmatch(r'k[A-Z]\w*', name.split('::')[-1]):
            return True
        key = (scope, name) if (scope, name) in self.assign else (0, name)
        if key in self.safe_names:
            return self.safe_names[key]
        if key in self.resolving:
            return True  # x += ...x...: judged by its other parts
        exprs = self.assign.get(key)
        if not exprs:
            return False
        self.resolving.add(key)
        ok = all(self.expr_safe(e) for e in exprs)
        self.resolving.discard(key)
        self.safe_names[key] = ok
        return ok

    def expr_safe(self, toks):
        return not self.unsafe_operands(toks)

    def unsafe_operands(self, toks):
        """The operands of `toks` (a '+' chain) that are not safe."""
        bad = []
        if not toks:
            return bad
        # Conditional: cond ? a : b -> a and b (the condition is not SQL text).
        q = split_top(toks, {'?'})
        if len(q) > 1:
            rest = [t for p in q[1:] for t in p + [Tok('op', '?', 0)]][:-1]
            for b in split_top(rest, {':'}):
                bad += self.unsafe_operands(b)
            return bad
        for op in split_top(toks, {'+'}):
            if op and op[0].text == '(' and op[-1].text == ')' and len(split_top(op[1:-1], set())) == 1:
                bad += self.unsafe_operands(op[1:-1])
            elif not self.operand_safe(op):
                bad.append(op)
        return bad

    def operand_safe(self, op):
        if not op:
            return True
        if all(t.kind in ('str', 'chr', 'num') for t in op):
            return True
        if op[0].kind == 'id' and re.fullmatch(r'k[A-Z]\w*', op[0].text.split('::')[-1]) and len(op) > 1 and \
                op[1].text == '[' and op[-1].text == ']':
            return True  # an element of a constant table
        if op[0].text == '(' and op[-1].text == ')':
            return self.expr_safe(op[1:-1])
        if op[0].text == '{' and op[-1].text == '}':  # a brace list: every element
            return all(self.expr_safe(e) for e in split_top(op[1:-1], {','}))
        if len(op) == 1 and op[0].kind == 'id':
            return self.name_safe(op[0].text, op[0].scope)
        if op[0].kind == 'id' and len(op) >= 3 and op[1].text == '(' and op[-1].text == ')':
            name = op[0].text
            if name in WRAPPERS:
                return self.expr_safe(op[2:-1])
            if name in SAFE_CALLS or name.split('::')[-1] in SAFE_CALLS:
                return True
            if self.call_safe(name.split('::')[-1]):
                return True
        # this->x_, spec_.table, a[i] ... : a member or element; safe only if allow-listed by its last name.
        ids = [t.text for t in op if t.kind == 'id']
        if ids and all(t.kind == 'id' or t.text in ('.', '->', '::') for t in op) and self.name_safe(ids[-1], op[0].scope):
            return True
        if ids and op[-1].text in ('str', 'c_str') or (len(op) >= 3 and op[-2].text == '(' and op[-3].text in ('str', 'c_str')):
            base = [t for t in op if t.text not in ('.', '(', ')', 'str', 'c_str')]
            return self.operand_safe(base)
        return False

    def findings(self):
        toks = self.toks
        seen = set()
        out = []
        sql_vars = set()
        anchors = [i for i, t in enumerate(toks) if t.kind == 'str' and
                   (SQL_WORDS.search(literal_text(t)) or PLACEHOLDER.search(literal_text(t)))]
        # The first argument of a sink call (x.Select(where, ...)): its first token stands for it.
        for i, t in enumerate(toks[:-2]):
            if t.text in SINKS and i > 0 and toks[i - 1].text in ('.', '->') and toks[i + 1].text == '(' and \
                    toks[i + 2].text != ')':
                anchors.append(i + 2)
        for i in anchors:
            a, b = expression_around(toks, i)
            # Widen over a parenthesised conditional the literal is a branch of: ( c ? "x" : "y" )
            expr = toks[a:b]
            if (a, b) in seen:
                continue
            seen.add((a, b))
            if a > 0 and toks[a - 1].text in ('=', '+=') and a > 1 and toks[a - 2].kind == 'id':
                sql_vars.add((toks[a - 2].scope, toks[a - 2].text))
            for op in self.unsafe_operands(expr):
                out.append((op[0].line, ' '.join(t.text for t in op)))
        # Every assignment to an SQL variable.
        for name in sql_vars:
            for e in self.assign.get(name, []):
                for op in self.unsafe_operands(e):
                    if op and not (len(op) == 1 and op[0].text == name[1]):
                        out.append((op[0].line, ' '.join(t.text for t in op)))
        return sorted(set(out))


def scan(root, files):
    findings = []
    for path in files:
        rel = os.path.relpath(path, root)
        src = open(path, encoding='utf-8', errors='replace').read()
        for line, operand in Checker(rel, tokenize(src)).findings():
            findings.append('%s:%d: SQL text concatenates %r (bind it with soci::use, or quote it with QuoteIdent)'
                            % (rel, line, operand))
    return findings


def default_files(root):
    pats = ['data/store/*.cpp', 'data/store/*.h', 'api/**/*.cpp', 'api/**/*.h']
    out = set()
    for p in pats:
        out.update(glob.glob(os.path.join(root, p), recursive=True))
    return sorted(out)


def self_test(here):
    fix = os.path.join(here, 'fixtures')
    bad = scan(fix, [os.path.join(fix, 'bad.cpp')])
    good = scan(fix, [os.path.join(fix, 'good.cpp')])
    src = open(os.path.join(fix, 'bad.cpp'), encoding='utf-8').read().splitlines()
    expected = {n + 1 for n, l in enumerate(src) if 'EXPECT-FINDING' in l}
    got = {int(f.split(':')[1]) for f in bad}
    ok = True
    if expected - got:
        print('self-test: findings missed on fixtures/bad.cpp lines %s' % sorted(expected - got))
        ok = False
    if got - expected:
        print('self-test: unexpected findings on fixtures/bad.cpp: %s' % [f for f in bad if int(f.split(':')[1]) not in expected])
        ok = False
    if good:
        print('self-test: false alarms on fixtures/good.cpp:\n  ' + '\n  '.join(good))
        ok = False
    if not expected:
        print('self-test: fixtures/bad.cpp marks no EXPECT-FINDING line')
        ok = False
    print('self-test: %d of %d bad constructions caught, %d false alarms' % (len(expected & got), len(expected), len(good)))
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default=os.path.abspath(os.path.join(here, '../../..')))
    ap.add_argument('--self-test', action='store_true', help='run the checker on its fixtures only')
    ap.add_argument('files', nargs='*')
    a = ap.parse_args()
    if a.self_test:
        return 0 if self_test(here) else 1
    files = [os.path.abspath(f) for f in a.files] or default_files(a.root)
    findings = scan(a.root, files)
    for f in findings:
        print(f)
    print('%d files scanned, %d findings' % (len(files), len(findings)))
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())
