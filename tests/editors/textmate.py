"""A small TextMate grammar engine: enough of what VS Code's
vscode-textmate does to tokenize with a .tmLanguage.json whose regular
expressions stay within what Python's `re` and Oniguruma share (no \\G, no
back-references in end patterns, no possessive quantifiers).  Standard
library only, so the grammar is tested without node or the network.

    grammar = Grammar(json.load(f))
    state = grammar.initial()
    scopes, state = grammar.tokenize_line(line, state)

`scopes[i]` is the list of scope names on character i of the line, outermost
first; `state` is the stack of open begin/end rules.
"""
import re


class GrammarError(Exception):
    pass


class Rule:
    """One rule of the grammar, its regular expressions compiled."""

    def __init__(self, raw, grammar):
        self.raw = raw
        self.name = raw.get("name")
        self.content_name = raw.get("contentName")
        self.grammar = grammar
        self.match = self._compile(raw.get("match"))
        self.begin = self._compile(raw.get("begin"))
        self.end = self._compile(raw.get("end"))
        self.captures = raw.get("captures", {})
        self.begin_captures = raw.get("beginCaptures", self.captures)
        self.end_captures = raw.get("endCaptures", self.captures)
        self.include = raw.get("include")
        self._patterns = None

    def _compile(self, source):
        if source is None:
            return None
        try:
            return re.compile(source)
        except re.error as e:
            raise GrammarError("%s: %s" % (source, e))

    def patterns(self):
        """The rules this one contains, includes resolved, flattened."""
        if self._patterns is None:
            self._patterns = []
            for raw in self.raw.get("patterns", []):
                self._patterns.extend(self.grammar.expand(self.grammar.rule(raw)))
        return self._patterns


class Grammar:
    def __init__(self, raw):
        self.raw = raw
        self.scope = raw["scopeName"]
        self._rules = {}
        self.repository = {k: self.rule(v) for k, v in raw.get("repository", {}).items()}
        self.root = self.rule({"patterns": raw["patterns"]})
        # Compile everything up front, so a bad expression fails at once.
        for r in list(self._rules.values()):
            r.patterns()

    def rule(self, raw):
        key = id(raw)
        if key not in self._rules:
            self._rules[key] = Rule(raw, self)
        return self._rules[key]

    def expand(self, rule, seen=None):
        """A rule as the rules it stands for: includes and bare pattern
        lists are replaced by their contents."""
        seen = seen or set()
        if rule.include:
            inc = rule.include
            if inc in ("$self", "$base"):
                target = self.root
            elif inc.startswith("#"):
                if inc[1:] not in self.repository:
                    raise GrammarError("include of a missing rule " + inc)
                target = self.repository[inc[1:]]
            else:
                raise GrammarError("include of another grammar: " + inc)
            if id(target) in seen:
                return []
            return self.expand(target, seen | {id(target)})
        if rule.match or rule.begin:
            return [rule]
        out = []
        for raw in rule.raw.get("patterns", []):
            out.extend(self.expand(self.rule(raw), seen))
        return out

    def initial(self):
        return ()

    def scopes_of(self, state):
        scopes = [self.scope]
        for rule, _ in state:
            if rule.name:
                scopes.append(rule.name)
            if rule.content_name:
                scopes.append(rule.content_name)
        return scopes

    def tokenize_line(self, line, state):
        """Scopes of each character of `line` (without its line end), and
        the state after it.  The end pattern of the innermost open rule
        wins a tie with the patterns inside it, as in vscode-textmate."""
        text = line + "\n"
        out = [None] * len(line)
        pos = 0
        state = tuple(state)
        while pos <= len(line):
            rules = state[-1][0].patterns() if state else self.root.patterns()
            best = None  # (start, kind, rule, match)
            if state:
                m = state[-1][1].search(text, pos)
                if m:
                    best = (m.start(), "end", state[-1][0], m)
            for rule in rules:
                m = (rule.match or rule.begin).search(text, pos)
                if m and (best is None or m.start() < best[0]):
                    best = (m.start(), "match" if rule.match else "begin", rule, m)
            base = self.scopes_of(state)
            if best is None:
                self._fill(out, pos, len(line), base)
                break
            start, kind, rule, m = best
            self._fill(out, pos, start, base)
            names = base + ([rule.name] if rule.name else [])
            if kind == "end":
                self._fill(out, m.start(), m.end(), base)
                self._paint(out, m, base, rule.end_captures)
                state = state[:-1]
            elif kind == "match":
                self._fill(out, m.start(), m.end(), names)
                self._paint(out, m, names, rule.captures)
            else:
                self._fill(out, m.start(), m.end(), names)
                self._paint(out, m, names, rule.begin_captures)
                state = state + ((rule, rule.end),)
                if len(state) > 64:
                    raise GrammarError("begin rules nest without end at %r" % line)
            if kind == "match" and m.end() == pos:
                # An empty match changes nothing: step over a character.
                self._fill(out, pos, pos + 1, base)
                pos += 1
            else:
                pos = max(pos, m.end())
        return [s if s is not None else [self.scope] for s in out], state

    @staticmethod
    def _fill(out, a, b, names):
        for i in range(a, min(b, len(out))):
            out[i] = list(names)

    @staticmethod
    def _paint(out, m, base, captures):
        for key, cap in sorted(captures.items(), key=lambda kv: int(kv[0])):
            group = int(key)
            if group > (m.re.groups or 0) or m.start(group) < 0 or "name" not in cap:
                continue
            for i in range(m.start(group), min(m.end(group), len(out))):
                out[i] = list(out[i] or base) + [cap["name"]]
